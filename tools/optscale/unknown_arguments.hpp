// Names what the command line got wrong before CLI11 parses it: an unknown
// subcommand or flag is named, with the nearest known one ("did you mean"),
// instead of CLI11's "A subcommand is required" or a missing required flag.
#pragma once
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace optscale::cli {

// Levenshtein distance between two short words.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word`, when it is near enough to be a likely typo.
std::optional<std::string> nearest_name(const std::string& word, const std::vector<std::string>& candidates);

// The error to print for `args` (argv without the program name), or nullopt
// when every subcommand and long flag is one `app` knows.
std::optional<std::string> unknown_arguments(const CLI::App& app, const std::vector<std::string>& args);

// "optscale eval --help" for the subcommands named in `args` (nested ones
// included), "optscale --help" when there are none.
std::string help_command(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace optscale::cli
