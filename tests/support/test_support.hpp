// Helpers shared by the test programs: where the reference data and test
// fixtures live, and running the real `optscale` binary.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace optscale::testing {

// ../shared/data (or $OPTSCALE_SHARED_DATA); nullopt when it is absent, so that
// reference tests can GTEST_SKIP cleanly.
std::optional<std::filesystem::path> shared_data_dir();

// tests/data inside the repository (hand-written fixtures).
std::filesystem::path test_data_dir();

// Path of the built optscale program.
std::filesystem::path optscale_binary();

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// `path` as one /bin/sh word: in single quotes, embedded quotes escaped.
std::string shell_quoted(const std::filesystem::path& path);

// Runs a /bin/sh command line, optionally feeding `input` on stdin.
CommandResult run_command(const std::string& command_line, const std::string& input = "");

// Runs `optscale <args>` (args are passed to /bin/sh, so quote as needed),
// optionally feeding `input` on stdin.
CommandResult run_optscale(const std::string& args, const std::string& input = "");

// The message of the optscale::Error that `action` throws, "(no error)" when
// it throws none (other exceptions propagate).
std::string error_message(const std::function<void()>& action);

// A fresh empty directory under the system temp folder, removed by the caller
// when it likes (left behind for inspection otherwise).
std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace optscale::testing

// Skip the current test when the shared reference data is not present.
#define OPTSCALE_REQUIRE_SHARED_DATA(var)                                     \
  auto var##_opt = ::optscale::testing::shared_data_dir();                    \
  if (!var##_opt) GTEST_SKIP() << "../shared/data not present; skipping";    \
  const std::filesystem::path var = *var##_opt
