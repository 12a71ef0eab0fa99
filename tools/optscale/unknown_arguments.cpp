#include "unknown_arguments.hpp"

#include <algorithm>
#include <numeric>

namespace optscale::cli {
namespace {

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

std::vector<std::string> long_flags(const CLI::App& app) {
  std::vector<std::string> flags;
  for (const CLI::Option* option : app.get_options())
    for (const std::string& name : option->get_lnames()) flags.push_back("--" + name);
  return flags;
}

bool is_long_flag(const std::string& arg) { return arg.size() > 2 && arg.rfind("--", 0) == 0; }

// The subcommand path named in `args` ("eval", "pool stats"), stopping at the
// first word that is not a subcommand of the one before.
std::vector<const CLI::App*> subcommand_path(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<const CLI::App*> path{&app};
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg.empty() || arg[0] == '-') continue;
    if (const CLI::App* sub = find_subcommand(*path.back(), arg)) path.push_back(sub);
  }
  return path;
}

std::string suggestion(const std::optional<std::string>& near) {
  return near ? " (did you mean '" + *near + "'?)" : std::string();
}

}  // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    // A prefix ("eval" for "evaluate") counts as near whatever its length.
    if (candidate.size() >= 3 && word.rfind(candidate, 0) == 0) distance = std::min<std::size_t>(distance, 1);
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // Near enough to be a typo: at most a third of the word, and at least 2 edits allowed.
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  if (!best || best_distance > allowed) return std::nullopt;
  return best;
}

std::string help_command(const CLI::App& app, const std::vector<std::string>& args) {
  std::string command = app.get_name();
  for (const CLI::App* sub : subcommand_path(app, args))
    if (sub != &app) command += " " + sub->get_name();
  return "'" + command + " --help'";
}

std::optional<std::string> unknown_arguments(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* current = &app;
  std::vector<std::string> unknown;
  std::string first_error;
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (is_long_flag(arg)) {
      const std::string flag = arg.substr(0, arg.find('='));
      const auto known = long_flags(*current);
      if (std::find(known.begin(), known.end(), flag) != known.end()) continue;
      // Flags of the program itself (--help, --version) are valid everywhere.
      const auto global = long_flags(app);
      if (std::find(global.begin(), global.end(), flag) != global.end()) continue;
      unknown.push_back("'" + flag + "'" + suggestion(nearest_name(flag, known)));
      continue;
    }
    if (arg.empty() || arg[0] == '-') continue;
    if (const CLI::App* sub = find_subcommand(*current, arg)) {
      current = sub;
      continue;
    }
    // A word where the program expects its subcommand: name it.
    if (current == &app)
      return "unknown command '" + arg + "'" + suggestion(nearest_name(arg, subcommand_names(app))) +
             "; see 'optscale --help' for the list";
    if (current->get_subcommands([](const CLI::App*) { return true; }).size() > 0 && current->get_options().size() <= 1)
      return "'" + current->get_name() + "': unknown subcommand '" + arg + "'" +
             suggestion(nearest_name(arg, subcommand_names(*current))) + "; see " + help_command(app, args);
  }
  if (unknown.empty()) return std::nullopt;
  std::string message = unknown.size() == 1 ? "unknown flag " : "unknown flags ";
  for (std::size_t i = 0; i < unknown.size(); ++i) message += (i ? ", " : "") + unknown[i];
  return message + "; see " + help_command(app, args);
}

}  // namespace optscale::cli
