// API keys come from the environment or a file, never from a command-line
// value (visible in `ps`) and never into logs or error messages.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace optscale::backend {

// The key in `file` (surrounding whitespace removed) when a file is given,
// else the value of the environment variable `env_var` when set and
// non-empty, else "". Throws optscale::Error naming the file (not its
// content) when it cannot be read or is empty.
std::string load_api_key(const std::optional<std::filesystem::path>& file, const std::string& env_var);

}  // namespace optscale::backend
