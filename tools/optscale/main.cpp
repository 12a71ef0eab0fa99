// optscale: compute-optimal inference-time scaling. The subcommands live one
// per file (cmd_*.cpp) and register themselves; this file only dispatches.
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "command.hpp"
#include "unknown_arguments.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

struct Entry {
  std::string description;
  CommandSetup setup;
};

std::map<std::string, Entry>& registry() {
  static std::map<std::string, Entry> commands;
  return commands;
}

}  // namespace

CommandRegistration::CommandRegistration(std::string name, std::string description,
                                         CommandSetup setup) {
  registry().emplace(std::move(name), Entry{std::move(description), std::move(setup)});
}

bool env_mirrored(const std::string& flag) {
  static const std::set<std::string> unmirrored = {"--seed",     "--out",  "--out-dir", "--json-out",
                                                   "--csv",      "--plot", "--port-file", "--host",
                                                   "--port",     "--threads"};
  return !unmirrored.contains(flag);
}

std::string env_name(const std::string& flag) {
  std::string out = "OPTSCALE_";
  for (char c : flag) {
    if (c == '-') {
      if (out.back() != '_') out += '_';
    } else {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (out.size() > 9 && out[9] == '_') out.erase(9, 1);
  return out;
}

}  // namespace optscale::cli

int main(int argc, char** argv) {
  using namespace optscale::cli;
  CLI::App app{"optscale: compute-optimal Best-of-N for LLM reasoning (OptScale)", "optscale"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "optscale 0.1.0");
  std::map<std::string, std::function<int()>> actions;
  for (auto& [name, entry] : registry()) {
    CLI::App* sub = app.add_subcommand(name, entry.description);
    actions[name] = entry.setup(*sub);
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (auto problem = unknown_arguments(app, args)) {
    std::cerr << "optscale: error: " << *problem << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError&) {
    // CLI11 lists the leftovers last-first; name them in command-line order.
    std::vector<std::string> extras;
    for (const CLI::App* sub = &app; sub != nullptr;) {
      for (const std::string& extra : sub->remaining()) extras.push_back(extra);
      const auto parsed = sub->get_subcommands();
      sub = parsed.empty() ? nullptr : parsed.front();
    }
    std::cerr << "optscale: error: unexpected argument" << (extras.size() == 1 ? " " : "s ");
    for (std::size_t i = 0; i < extras.size(); ++i) std::cerr << (i ? " " : "") << "'" << extras[i] << "'";
    std::cerr << "; see " << help_command(app, args) << "\n";
    return 2;
  } catch (const CLI::ParseError& e) {
    std::cerr << "optscale: error: " << e.what() << "; see " << help_command(app, args) << "\n";
    return 2;
  }
  // The one place a command's exceptions end: ours (optscale::Error) exit 1
  // with their message, which names the input; anything else is a bug of ours
  // and exits 3, naming the command it happened in.
  std::string command = "optscale";
  try {
    for (CLI::App* sub : app.get_subcommands()) {
      if (!sub->parsed()) continue;
      command = "optscale " + sub->get_name();
      return actions.at(sub->get_name())();
    }
  } catch (const optscale::Error& e) {
    std::cerr << "optscale: error: " << e.what() << "\n";
    return 1;
  } catch (...) {
    std::cerr << "optscale: " << optscale::exception_message(std::current_exception()) << " (in `" << command
              << "`)\n";
    return 3;
  }
  return 0;
}
