// Where the program finds the data files it ships (the default predictor
// model, the demo's pool): installed next to the program, else in the source
// tree it was built from. One rule for every such file.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace optscale {

// The places `relative` (e.g. "models/default-predictor.json") is looked up,
// in order: <dir of the running program>/../share/optscale/<relative> (what
// `cmake --install` lays out), then <source dir>/<relative>.
std::vector<std::filesystem::path> data_file_candidates(const std::filesystem::path& relative);

// The first candidate that is a regular file; throws optscale::Error listing
// every place tried, with `what` ("default predictor") and `hint` (how to
// name one instead) in the message.
std::filesystem::path find_data_file(const std::filesystem::path& relative, const std::string& what,
                                     const std::string& hint);

}  // namespace optscale
