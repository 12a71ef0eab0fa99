// Subcommand registry: each tools/optscale/cmd_<name>.cpp registers itself
// with a static CommandRegistration, so adding a subcommand is adding a file.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace optscale::cli {

// Configures the subcommand's flags and returns the action run after parsing
// (its return value is the exit status).
using CommandSetup = std::function<std::function<int()>(CLI::App& sub)>;

struct CommandRegistration {
  CommandRegistration(std::string name, std::string description, CommandSetup setup);
};

// OPTSCALE_<FLAG> for "--flag-name": the environment variable mirroring a
// flag; a flag given on the command line wins.
std::string env_name(const std::string& flag);

// Whether `--name` has an environment mirror. One variable serves every
// subcommand with that flag, so flags whose meaning or effect differs by
// subcommand, or that must be visible on the command line, have none:
// --seed (a run's, an eval's and a simulation's seeds are different things,
// and results must not change behind the command line), the output files
// (--out, --out-dir, --json-out, --csv, --plot, --port-file) and the
// per-server --host, --port and --threads.
bool env_mirrored(const std::string& flag);

// Adds `--name` bound to `target`, mirrored by its OPTSCALE_* variable where
// env_mirrored(name).
template <typename T>
CLI::Option* add_flag_option(CLI::App& app, const std::string& name, T& target,
                             const std::string& description) {
  CLI::Option* option = app.add_option(name, target, description);
  if (env_mirrored(name)) option->envname(env_name(name));
  return option;
}

}  // namespace optscale::cli
