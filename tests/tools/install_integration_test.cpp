// `cmake --install` lays out the program with the data files it ships, and the
// installed program finds them next to itself, from any working directory,
// before the source tree it was built from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.hpp"

namespace {

using optscale::testing::make_temp_dir;
using optscale::testing::optscale_binary;
using optscale::testing::run_command;
using optscale::testing::shell_quoted;

class Installed : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = make_temp_dir("optscale-install");
    // The program sits at the top of its build tree.
    const auto build_dir = optscale_binary().parent_path();
    auto install = run_command("cmake --install " + shell_quoted(build_dir) + " --prefix " + shell_quoted(prefix_));
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  }
  void TearDown() override { std::filesystem::remove_all(prefix_); }

  // Runs the installed program from an empty folder (no checkout around it).
  optscale::testing::CommandResult run_installed(const std::string& args) {
    const auto cwd = prefix_ / "cwd";
    std::filesystem::create_directories(cwd);
    const auto program = prefix_ / "bin" / "optscale";
    return run_command("cd " + shell_quoted(cwd) + " && env -u OPTSCALE_PREDICTOR " + shell_quoted(program) + " " + args);
  }

  std::filesystem::path prefix_;
};

TEST_F(Installed, LaysOutTheProgramAndItsDataFiles) {
  EXPECT_TRUE(std::filesystem::is_regular_file(prefix_ / "bin" / "optscale"));
  EXPECT_TRUE(std::filesystem::is_regular_file(prefix_ / "share" / "optscale" / "models" / "default-predictor.json"));
  EXPECT_TRUE(
      std::filesystem::is_regular_file(prefix_ / "share" / "optscale" / "examples" / "simulated-math500.jsonl"));
}

TEST_F(Installed, TheDemoRunsFromTheInstalledProgram) {
  // The demo's pools are simulated in memory (the profiles are compiled in);
  // the installed example pool is one it can be given.
  const std::string installed_pool = (prefix_ / "share" / "optscale" / "examples" / "simulated-math500.jsonl").string();
  auto demo = run_installed("demo --out-dir " + shell_quoted(prefix_ / "demo") + " --threads 2 --orders 1");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("simulate --profile strong-reasoner"), std::string::npos) << demo.out.substr(0, 400);
  EXPECT_TRUE(std::filesystem::is_regular_file(prefix_ / "demo" / "demo.svg"));
  auto given = run_installed("demo --pool " + shell_quoted(installed_pool) + " --out-dir " +
                             shell_quoted(prefix_ / "demo2") + " --threads 2 --orders 1");
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_NE(given.out.find("pool: " + installed_pool), std::string::npos) << given.out.substr(0, 400);
}

TEST_F(Installed, PredictsWithTheInstalledModel) {
  auto predicted = run_installed("predictor predict --problem 'What is the smallest prime greater than 100?' --json");
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_NE(predicted.out.find("\"mu\""), std::string::npos) << predicted.out;

  // The installed copy is the one read, not the source tree's: spoil it and
  // the error names it.
  const auto model = prefix_ / "share" / "optscale" / "models" / "default-predictor.json";
  std::ofstream(model, std::ios::trunc) << "{}";
  auto spoiled = run_installed("predictor predict --problem 'x' --json");
  EXPECT_NE(spoiled.exit_code, 0);
  EXPECT_NE(spoiled.err.find(model.string()), std::string::npos) << spoiled.err;
}

}  // namespace
