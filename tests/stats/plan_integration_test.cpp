// `optscale plan`, run as the real program: single decisions in text and
// JSON, batches from a file and from stdin, and every kind of bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "optscale/stats/sample_bound.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(PlanCommand, JsonDecisionMatchesTheLibrary) {
  const auto r = run_optscale("plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto want = stats::required_samples(stats::TruncatedNormal(0.9, 0.05), 0.95, 0.95, 64);
  EXPECT_EQ(j.at("n").get<int>(), want.n);
  EXPECT_EQ(j.at("outcome").get<std::string>(), "reached");
  EXPECT_EQ(j.at("p_success").get<double>(), want.p_success);  // shortest round-trip printing
  EXPECT_EQ(j.size(), 3u);
  EXPECT_EQ(lines_of(r.out).size(), 1u);
}

TEST(PlanCommand, HumanTextNamesNOutcomeAndProbability) {
  const auto r = run_optscale("plan --mu 80 --sigma 1.5 --target 0.99 --confidence 0.95");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("draw 9 samples"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reached"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("P(best of 9 >= 0.99) = 0.957631"), std::string::npos) << r.out;
}

TEST(PlanCommand, MethodBudgetAndPeek) {
  auto j = [](const std::string& args) {
    const auto r = run_optscale("plan --json " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  // The reference grid spends the budget where the density underflows.
  EXPECT_EQ(j("--mu 0.95 --sigma 1e-6 --target 0.85 --confidence 0.95 --method grid")["n"], 64);
  EXPECT_EQ(
      j("--mu 0.95 --sigma 1e-6 --target 0.85 --confidence 0.95 --method grid --budget 16")["n"],
      16);
  EXPECT_EQ(j("--mu 0.95 --sigma 1e-6 --target 0.85 --confidence 0.95")["n"], 1);
  EXPECT_EQ(j("--mu 0.95 --sigma 1e-6 --target 0.85 --confidence 0.95 --peek 5")["n"], 5);
  EXPECT_EQ(j("--mu 0.5 --sigma 0.1 --target 1 --confidence 0.9 --budget 8")["outcome"],
            "unreachable");
  EXPECT_EQ(j("--mu 0.5 --sigma 0.1 --target 0 --confidence 0.9")["outcome"], "certain");
  EXPECT_EQ(j("--mu 0.5 --sigma 0.1 --target 0.9 --confidence 0.9")["outcome"], "capped");
}

TEST(PlanCommand, EnvironmentVariablesMirrorFlagsAndFlagsWin) {
  const std::string with_env = "plan --json --mu 0.9 --sigma 0.05 --target 0.99 --confidence 0.95";
  // OPTSCALE_BUDGET applies when --budget is absent; --budget wins over it.
  const std::string binary = optscale_binary().string();
  auto run_with_env = [&](const std::string& assignment, const std::string& args) {
    const auto dir = make_temp_dir("optscale-plan-env");
    const auto out = dir / "out";
    const std::string cmd =
        assignment + " '" + binary + "' " + args + " >'" + out.string() + "' 2>/dev/null";
    const int status = std::system(cmd.c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    std::filesystem::remove_all(dir);
    EXPECT_EQ(status, 0) << cmd;
    return nlohmann::json::parse(text.str());
  };
  EXPECT_EQ(run_with_env("OPTSCALE_BUDGET=4", with_env)["n"], 4);
  EXPECT_EQ(run_with_env("OPTSCALE_BUDGET=4", with_env + " --budget 6")["n"], 6);
  EXPECT_EQ(run_with_env("OPTSCALE_METHOD=grid OPTSCALE_SIGMA=1e-6",
                         "plan --json --mu 0.95 --target 0.85 --confidence 0.95")["n"],
            64);
}

TEST(PlanCommand, BatchFromStdinWritesOneResultPerLineInOrder) {
  std::string input;
  std::vector<std::pair<double, double>> laws = {{0.9, 0.05}, {80, 1.5}, {0.5, 0.1}, {0.95, 1e-6}};
  for (const auto& [mu, sigma] : laws) {
    input += "{\"mu\":" + std::to_string(mu) + ",\"sigma\":" + std::to_string(sigma) +
             ",\"target\":0.95,\"confidence\":0.95,\"budget\":64}\n";
  }
  input +=
      "{\"budget\":32,\"confidence\":0.9,\"target\":0.97,\"sigma\":0.02,\"mu\":0.95,\"peek\":10,"
      "\"method\":\"grid\"}\n";
  const auto r = run_optscale("plan --batch -", input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines_of(r.out);
  ASSERT_EQ(out.size(), laws.size() + 1);
  for (std::size_t i = 0; i < laws.size(); ++i) {
    const auto j = nlohmann::json::parse(out[i]);
    const auto want =
        stats::required_samples(stats::TruncatedNormal(std::stod(std::to_string(laws[i].first)),
                                                       std::stod(std::to_string(laws[i].second))),
                                0.95, 0.95, 64);
    EXPECT_EQ(j["n"].get<int>(), want.n) << i;
    EXPECT_EQ(j["outcome"].get<std::string>(), stats::to_string(want.outcome)) << i;
    EXPECT_EQ(j["p_success"].get<double>(), want.p_success) << i;
  }
  stats::SampleBoundRequest request;
  request.target = 0.97;
  request.risk = 1.0 - 0.9;
  request.budget = 32;
  request.peek = 10;
  request.method = stats::BoundMethod::grid;
  const auto want = stats::required_samples(stats::TruncatedNormal(0.95, 0.02), request);
  EXPECT_EQ(nlohmann::json::parse(out.back())["n"].get<int>(), want.n);
  EXPECT_GE(want.n, 10);
}

TEST(PlanCommand, BatchFromFileAndMethodDefault) {
  const auto dir = make_temp_dir("optscale-plan");
  const auto path = dir / "plans.jsonl";
  std::ofstream(path)
      << "{\"mu\":0.95,\"sigma\":1e-6,\"target\":0.85,\"confidence\":0.95,\"budget\":64}\r\n"
      << "{\"mu\":0.95,\"sigma\":1e-6,\"target\":0.85,\"confidence\":0.95,\"budget\":64,\"method\":"
         "\"exact\"}\n";
  const auto r = run_optscale("plan --method grid --batch '" + path.string() + "'");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines_of(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(out[0])["n"], 64);  // --method grid is the default
  EXPECT_EQ(nlohmann::json::parse(out[1])["n"], 1);   // the line's own method wins
}

TEST(PlanCommand, BadBatchLinesNameFileAndLine) {
  const std::string good =
      "{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.95,\"budget\":64}\n";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"{\"mu\":0.9,", "not valid JSON"},
      {"[1,2]", "expected a JSON object"},
      {"", "empty line"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.95}",
       "missing field \"budget\""},
      {"{\"mu\":0.9,\"sigma\":-1,\"target\":0.95,\"confidence\":0.95,\"budget\":8}", "sigma"},
      {"{\"mu\":\"a\",\"sigma\":0.05,\"target\":0.95,\"confidence\":0.95,\"budget\":8}",
       "\"mu\" must be a number"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":1.5,\"budget\":8}", "confidence"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":8.5}",
       "\"budget\" must be an integer"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":8,\"peek\":9}",
       "peek"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":8,\"method\":"
       "\"fast\"}",
       "\"fast\""},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":8,\"delta\":0.1}",
       "unknown field \"delta\""},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":1e400}",
       "the number 1e400 is outside the range of a double"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":"
       "18446744073709551615}",
       "\"budget\" must be an integer"},
      {"{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.9,\"budget\":"
       "-9223372036854775807}",
       "\"budget\" must be an integer"},
  };
  for (const auto& [line, message] : bad) {
    const auto r = run_optscale("plan --batch -", good + good + line + "\n" + good);
    EXPECT_EQ(r.exit_code, 1) << line;
    EXPECT_NE(r.err.find("<stdin>:3: "), std::string::npos) << line << " -> " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << line << " -> " << r.err;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_EQ(lines_of(r.out).size(), 2u) << "the lines before the bad one are answered";
  }
  const auto missing = run_optscale("plan --batch /nonexistent/plans.jsonl");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/plans.jsonl"), std::string::npos) << missing.err;
}

// A batch long enough to be decided on two threads: results in input order,
// each as a small batch gives it, and a bad line in the second half stops the
// batch after every line before it, naming its own line.
TEST(PlanCommand, LongBatchesKeepOrderAndStopAtTheFirstBadLine) {
  const std::vector<std::string> variants = {
      "{\"mu\":0.9,\"sigma\":0.05,\"target\":0.95,\"confidence\":0.95,\"budget\":64}",
      "{\"budget\":32,\"confidence\":0.9,\"target\":0.97,\"sigma\":0.02,\"mu\":0.95,\"peek\":10}",
      "{\"mu\":80,\"sigma\":1.5,\"target\":0.95,\"confidence\":0.95,\"budget\":64,\"method\":\"grid\"}",
      "{\"mu\":0.5,\"sigma\":0.1,\"target\":0.9,\"confidence\":0.99,\"budget\":16,\"budget\":8}",
      "{\"mu\":1,\"sigma\":1e-3,\"target\":0.999,\"confidence\":0.5,\"budget\":64}",
  };
  std::string small;
  for (const std::string& v : variants) small += v + "\n";
  const auto expected = run_optscale("plan --batch -", small);
  ASSERT_EQ(expected.exit_code, 0) << expected.err;
  const auto each = lines_of(expected.out);
  ASSERT_EQ(each.size(), variants.size());

  std::string input;
  constexpr std::size_t kLines = 10000;
  for (std::size_t i = 0; i < kLines; ++i) input += variants[i * 7 % variants.size()] + "\n";
  const auto r = run_optscale("plan --batch -", input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines_of(r.out);
  ASSERT_EQ(out.size(), kLines);
  for (std::size_t i = 0; i < kLines; ++i) ASSERT_EQ(out[i], each[i * 7 % variants.size()]) << i;

  const std::string bad = "{\"mu\":\"a\",\"sigma\":0.05,\"target\":0.95,\"confidence\":0.95,\"budget\":8}";
  const auto alone = run_optscale("plan --batch -", bad + "\n");
  ASSERT_EQ(alone.exit_code, 1);
  std::string cut = input;
  std::size_t at = 0;
  for (int n = 0; n < 7000; ++n) at = cut.find('\n', at) + 1;
  cut.insert(at, bad + "\n");
  const auto stopped = run_optscale("plan --batch -", cut);
  EXPECT_EQ(stopped.exit_code, 1);
  EXPECT_EQ(lines_of(stopped.out).size(), 7000u);
  const std::string message = alone.err.substr(alone.err.find("<stdin>:1: ") + 11);
  EXPECT_NE(stopped.err.find("<stdin>:7001: " + message), std::string::npos) << stopped.err;
}

TEST(PlanCommand, BadFlagsGiveOneClearLine) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"plan --sigma 0.05 --target 0.95 --confidence 0.95", "--mu is required"},
      {"plan --mu abc --sigma 0.05 --target 0.95 --confidence 0.95", "--mu"},
      {"plan --mu 0.9 --sigma 0 --target 0.95 --confidence 0.95", "sigma"},
      {"plan --mu nan --sigma 0.05 --target 0.95 --confidence 0.95", "mu"},
      {"plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 1", "confidence"},
      {"plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --budget 0", "budget"},
      {"plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --budget 2.5", "--budget"},
      {"plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --method fast", "\"fast\""},
      {"plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --peek 65", "peek"},
      {"plan --mu 0.9 --sigma 0.05 --target 0.95 --confidence 0.95 --no-such-flag", "no-such-flag"},
      {"plan --batch - --mu 0.9", "drop --mu"},
  };
  for (const auto& [args, message] : bad) {
    const auto r = run_optscale(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << " -> " << r.err;
    EXPECT_EQ(lines_of(r.err).size(), 1u) << args << " -> " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
}

}  // namespace
}  // namespace optscale::testing
