// The program names what its command line got wrong: unknown subcommands and
// flags with the nearest known name, leftovers in command-line order, and the
// subcommand's own --help.
#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace {

using optscale::testing::run_optscale;

TEST(CommandLine, UnknownCommandIsNamedWithTheNearest) {
  const auto typo = run_optscale("plna --mu 0.9");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown command 'plna' (did you mean 'plan'?)"), std::string::npos) << typo.err;
  const auto longer = run_optscale("evaluate --pool x.jsonl");
  EXPECT_NE(longer.err.find("unknown command 'evaluate' (did you mean 'eval'?)"), std::string::npos) << longer.err;
  const auto far = run_optscale("frobnicate");
  EXPECT_NE(far.err.find("unknown command 'frobnicate'; see 'optscale --help'"), std::string::npos) << far.err;
}

TEST(CommandLine, UnknownFlagIsNamedBeforeMissingRequiredOnes) {
  const auto r = run_optscale("eval --stratgy bon:n=8 --pool x.jsonl");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown flag '--stratgy' (did you mean '--strategy'?); see 'optscale eval --help'"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("is required"), std::string::npos) << r.err;
}

TEST(CommandLine, SeveralUnknownFlagsInCommandLineOrder) {
  const auto r = run_optscale("plan --mu 0.9 --sigma 0.05 --target 0.95 --confidance 0.95 --budgte 8");
  EXPECT_NE(r.err.find("unknown flags '--confidance' (did you mean '--confidence'?), '--budgte' (did you mean "
                       "'--budget'?); see 'optscale plan --help'"),
            std::string::npos)
      << r.err;
}

TEST(CommandLine, FlagWithValueAfterEqualsIsChecked) {
  const auto r = run_optscale("plan --mu=0.9 --sigmaa=0.05");
  EXPECT_NE(r.err.find("unknown flag '--sigmaa' (did you mean '--sigma'?)"), std::string::npos) << r.err;
}

TEST(CommandLine, NestedSubcommandsAreChecked) {
  const auto typo = run_optscale("pool stast x.jsonl");
  EXPECT_NE(typo.err.find("'pool': unknown subcommand 'stast' (did you mean 'stats'?)"), std::string::npos)
      << typo.err;
  const auto flag = run_optscale("pool stats --jsn x.jsonl");
  EXPECT_NE(flag.err.find("unknown flag '--jsn' (did you mean '--json'?); see 'optscale pool stats --help'"),
            std::string::npos)
      << flag.err;
}

TEST(CommandLine, LeftoversAreListedInOrder) {
  const auto r = run_optscale("plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 first second");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unexpected arguments 'first' 'second'; see 'optscale plan --help'"), std::string::npos)
      << r.err;
}

TEST(CommandLine, OtherParseErrorsPointAtTheSubcommandsHelp) {
  const auto r = run_optscale("plan --mu abc --sigma 0.05 --target 0.95 --confidence 0.95");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("see 'optscale plan --help'"), std::string::npos) << r.err;
}

TEST(CommandLine, JsonIsASwitchOnEvalAndJsonOutTakesAFile) {
  const auto both = run_optscale("eval --pool x.jsonl --strategy bon:n=2 --json --json-out y.json");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("excludes"), std::string::npos) << both.err;
}

TEST(CommandLine, ValidCommandStillRuns) {
  const auto r = run_optscale("plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"n\""), std::string::npos) << r.out;
}

// Environment mirrors are explicit: --seed and the output files have none on
// any subcommand (one OPTSCALE_SEED would reach run, eval and simulate at
// once); the rest keep theirs, and --help shows which.
TEST(CommandLine, SeedAndOutputsHaveNoEnvironmentMirror) {
  for (const std::string command : {"run", "eval", "simulate", "serve"}) {
    const auto help = run_optscale(command + " --help");
    EXPECT_EQ(help.exit_code, 0) << command << help.err;
    EXPECT_NE(help.out.find("--seed"), std::string::npos) << command;
    EXPECT_EQ(help.out.find("OPTSCALE_SEED"), std::string::npos) << command << help.out;
    EXPECT_EQ(help.out.find("OPTSCALE_OUT"), std::string::npos) << command << help.out;
    EXPECT_EQ(help.out.find("OPTSCALE_PORT"), std::string::npos) << command << help.out;
  }
  EXPECT_NE(run_optscale("eval --help").out.find("OPTSCALE_POOL"), std::string::npos);
  EXPECT_NE(run_optscale("simulate --help").out.find("OPTSCALE_PROBLEMS"), std::string::npos);
}

}  // namespace
