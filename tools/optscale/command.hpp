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

// OPTSCALE_<FLAG> for "--flag-name": every flag is mirrored by an environment
// variable; a flag given on the command line wins.
std::string env_name(const std::string& flag);

// Adds `--name` bound to `target`, mirrored by its OPTSCALE_* variable.
template <typename T>
CLI::Option* add_flag_option(CLI::App& app, const std::string& name, T& target,
                             const std::string& description) {
  return app.add_option(name, target, description)->envname(env_name(name));
}

}  // namespace optscale::cli
