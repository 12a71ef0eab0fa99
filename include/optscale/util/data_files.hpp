// Where the program finds the data files it ships (the default predictor
// model, the example pool): installed next to the program, else in the source
// tree it was built from. One rule for every such file.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace optscale {

// The places `relative` (e.g. "models/default-predictor.json") is looked up,
// in order: <root>/<relative> for each root given to add_data_root (in the
// order given), <dir of the running program>/../share/optscale/<relative>
// (what `cmake --install` lays out), then <source dir>/<relative>.
std::vector<std::filesystem::path> data_file_candidates(const std::filesystem::path& relative);

// A folder holding data files laid out as the source tree does, looked up
// first: for a program whose data files are not next to its executable (the
// Python package: its executable is the interpreter). Thread-safe.
void add_data_root(const std::filesystem::path& root);

// The first candidate that is a regular file; throws optscale::Error listing
// every place tried, with `what` ("default predictor") and `hint` (how to
// name one instead) in the message.
std::filesystem::path find_data_file(const std::filesystem::path& relative, const std::string& what,
                                     const std::string& hint);

}  // namespace optscale
