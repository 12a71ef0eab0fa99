// Opening a file the user named: when it cannot be opened, the error says
// which file and why (no such file, permission denied, a directory), not just
// "cannot be read".
#pragma once
#include <filesystem>
#include <fstream>
#include <string>

namespace optscale {

// Opens `path` for binary reading or throws Error("<what> <path>: cannot open
// for reading (<reason>)"); `what` names the file's role ("API key file") and
// may be empty.
std::ifstream open_for_reading(const std::filesystem::path& path, const std::string& what = {});

}  // namespace optscale
