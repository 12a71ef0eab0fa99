// The real `optscale eval`, `tune` and `demo` on the hand-written 3-problem
// fixture (tests/data/replay/), with every expected figure worked out below.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "optscale/pool/simulate.hpp"
#include "test_support.hpp"
#include "xml_check.hpp"

namespace optscale::replay {
namespace {

using testing::run_optscale;

// The fixture's path, quoted for the shell.
std::string fixture(const std::string& name) {
  return testing::shell_quoted(testing::test_data_dir() / "replay" / name);
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json run_json(const std::string& args) {
  const auto r = run_optscale(args + " --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

const nlohmann::json& result_for(const nlohmann::json& json, const std::string& prefix) {
  for (const auto& entry : json["results"])
    if (entry["strategy"].get<std::string>().rfind(prefix, 0) == 0) return entry;
  ADD_FAILURE() << "no result for " << prefix;
  static const nlohmann::json none;
  return none;
}

// Best-of-N, pool order. Best score among the first n samples:
//   n=1: p1 s0 (12, right), p2 s0 (0.5, right), p3 s0 (wrong)      -> 2/3
//        tokens (100 + 50 + 1000) / 3
//   n=2: p1 s1 (0.90: 13, wrong), p2 s0 (0.95, right), p3 s1 (wrong) -> 1/3
//        tokens (300 + 110 + 2000) / 3
//   n=4: p1 s1 (wrong), p2 s2 (0.99: 1/3, wrong), p3 s3 (0.85, right) -> 1/3
//        tokens (1000 + 260 + 4000) / 3
TEST(EvalCommand, BestOfNFiguresMatchTheHandComputation) {
  const nlohmann::json json = run_json("eval --pool " + fixture("three-problems.jsonl") + " --strategy 'bon:n=1|2|4'");
  EXPECT_EQ(json["synthetic"], false);
  EXPECT_EQ(json["problems"], 3);
  ASSERT_EQ(json["results"].size(), 3u);
  const double accuracy[] = {2.0 / 3, 1.0 / 3, 1.0 / 3};
  const double tokens[] = {1150.0 / 3, 2410.0 / 3, 5260.0 / 3};
  const double samples[] = {1, 2, 4};
  for (int i = 0; i < 3; ++i) {
    const auto& r = json["results"][static_cast<std::size_t>(i)];
    EXPECT_EQ(r["given"], "bon:n=1|2|4");
    EXPECT_NEAR(r["accuracy"].get<double>(), accuracy[i], 1e-12) << r.dump();
    EXPECT_NEAR(r["mean_tokens"].get<double>(), tokens[i], 1e-9) << r.dump();
    EXPECT_NEAR(r["mean_samples"].get<double>(), samples[i], 1e-12) << r.dump();
    EXPECT_EQ(r["stop_reasons"]["budget"], 3);
    ASSERT_TRUE(r["accuracy_ci"].is_array());
  }
}

// Majority vote over all 4 samples:
//   equivalent: p1 {12, 12, 24/2} beat {13} -> right; p2 {0.5, 1/2} ties
//   {1/3, 1/3}, the class seen first wins -> right; p3 A-A ties B-B, A first
//   -> wrong. 2/3.
//   raw strings: p1 "12" x2 wins -> right; p2 "1/3" x2 beats "0.5" and "1/2"
//   -> wrong; p3 wrong. 1/3.
TEST(EvalCommand, AnswerGroupingChangesTheVote) {
  const std::string base = "eval --pool " + fixture("three-problems.jsonl") + " --strategy sc:n=4";
  EXPECT_NEAR(run_json(base)["results"][0]["accuracy"].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(run_json(base + " --answer-grouping raw")["results"][0]["accuracy"].get<double>(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(run_json(base + " --answer-grouping equivalent")["results"][0]["mean_tokens"].get<double>(),
              5260.0 / 3, 1e-9);
}

TEST(EvalCommand, TableCsvAndPlotFiles) {
  const auto dir = testing::make_temp_dir("eval-files");
  const auto csv = dir / "out.csv", svg = dir / "out.svg", json = dir / "out.json";
  const auto r = run_optscale("eval --pool " + fixture("three-problems.jsonl") +
                              " --strategy 'bon:n=1|4' --strategy sc:n=4 --csv '" + csv.string() + "' --plot '" +
                              svg.string() + "' --json-out '" + json.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The table: one row per configuration with its accuracy in percent.
  EXPECT_NE(r.out.find("pool: "), std::string::npos);
  EXPECT_NE(r.out.find("66.67"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bon:n=4"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("SIMULATED"), std::string::npos);
  EXPECT_NE(r.err.find("replayed in"), std::string::npos) << r.err;
  // CSV: header + 3 rows, real data.
  std::istringstream lines(slurp(csv));
  std::string line;
  int rows = 0;
  while (std::getline(lines, line))
    if (!line.empty() && line != "\r") ++rows;
  EXPECT_EQ(rows, 4);
  EXPECT_NE(slurp(csv).find("\nreal,bon:n=4,bon:n=1|4,bon,4,"), std::string::npos) << slurp(csv);
  // SVG: well formed, with the BoN reference curve (budgets 1..4 here).
  const std::string plot = slurp(svg);
  EXPECT_EQ(testing::xml_problem(plot), "");
  EXPECT_NE(plot.find("BoN n=1..4 (reference)"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(slurp(json))["results"].size(), 3u);
  std::filesystem::remove_all(dir);
}

TEST(EvalCommand, SeveralOrdersAreSeededAndIndependentOfThreads) {
  const std::string base = "eval --pool " + fixture("three-problems.jsonl") +
                           " --strategy 'bon:n=1|2' --strategy sc:n=3 --orders 6";
  const nlohmann::json one = run_json(base + " --seed 4 --threads 1");
  const nlohmann::json two = run_json(base + " --seed 4 --threads 2");
  EXPECT_EQ(one.dump(), two.dump());
  EXPECT_EQ(one["orders"], 6);
  EXPECT_EQ(one["results"][0]["stop_reasons"]["budget"], 18);  // 3 problems x 6 orders
  EXPECT_NE(one.dump(), run_json(base + " --seed 5").dump());
  // Over all orders BoN-1 draws a uniformly random first sample; with 6 orders
  // its accuracy is a multiple of 1/18.
  const double accuracy = one["results"][0]["accuracy"].get<double>();
  EXPECT_NEAR(accuracy * 18, std::round(accuracy * 18), 1e-9);
}

// esc with window 1 stops after its first sample (a window of one always
// agrees); with window 2: p1 {12,13} no, {12, 24/2} yes -> 4 samples, right;
// p2 {0.5,1/3} no, {1/3,1/2} no -> 4, vote tie -> 0.5 first, right; p3 {A,A}
// -> 2, wrong. Both 2/3; window 1 costs (100+50+1000)/3, window 2
// (1000+260+2000)/3. Test selection: the tie goes to fewer tokens (window 1).
// Leave-one-out CV: every training pair also ties and picks window 1, so the
// held-out figures are window 1's.
TEST(TuneCommand, CrossValidationAndTestSelectionOnTheFixture) {
  const std::string base =
      "tune --pool " + fixture("three-problems.jsonl") + " --strategy 'esc:n=4,window=1|2' --folds 3";
  const nlohmann::json cv = run_json(base);
  EXPECT_EQ(cv["selection"], "cv");
  ASSERT_EQ(cv["tuned"].size(), 1u);
  const auto& cell = cv["tuned"][0];
  EXPECT_EQ(cell["budget"], 4);
  EXPECT_EQ(cell["configurations"], 2);
  EXPECT_NE(cell["chosen_most_often"].get<std::string>().find("window=1"), std::string::npos) << cell.dump();
  EXPECT_NEAR(cell["accuracy"].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(cell["mean_tokens"].get<double>(), 1150.0 / 3, 1e-9);
  // Both configurations' in-sample figures are in "results".
  EXPECT_NEAR(result_for(cv, "esc:n=4,window=2")["mean_tokens"].get<double>(), 3260.0 / 3, 1e-9);
  // The Pareto front: window 1 dominates window 2 (same accuracy, fewer tokens).
  ASSERT_EQ(cv["pareto"].size(), 1u);

  const nlohmann::json test = run_json(base + " --select test");
  EXPECT_EQ(test["selection"], "test");
  EXPECT_NE(test["tuned"][0]["chosen"][0].get<std::string>().find("window=1"), std::string::npos);

  const auto table = run_optscale(base + " --select test");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("test-set selection (the paper's protocol, for parity)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Pareto front"), std::string::npos);
}

TEST(ReportsOfSimulatedPools, EveryOutputSaysSimulated) {
  const auto dir = testing::make_temp_dir("simulated-reports");
  const auto csv = dir / "o.csv", svg = dir / "o.svg", json = dir / "o.json";
  const auto r = run_optscale("eval --pool " + fixture("three-problems-simulated.jsonl") +
                              " --strategy 'bon:n=1|4' --csv '" + csv.string() + "' --plot '" + svg.string() +
                              "' --json-out '" + json.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("SIMULATED", 0), 0u) << r.out;
  const nlohmann::json parsed = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(parsed["synthetic"], true);
  EXPECT_EQ(parsed["data"], "SIMULATED");
  std::istringstream lines(slurp(csv));
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_EQ(line.rfind("SIMULATED,", 0), 0u) << line;
  }
  EXPECT_NE(slurp(svg).find("<title>SIMULATED pool"), std::string::npos);
  const auto tuned = run_optscale("tune --pool " + fixture("three-problems-simulated.jsonl") +
                                  " --strategy 'esc:n=4,window=1|2' --folds 3 --plot '" + svg.string() + "'");
  ASSERT_EQ(tuned.exit_code, 0) << tuned.err;
  EXPECT_EQ(tuned.out.rfind("SIMULATED", 0), 0u) << tuned.out;
  EXPECT_NE(slurp(svg).find("<title>SIMULATED pool"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(DemoCommand, ComparesEveryStrategyAtEveryBudgetAndWritesItsFiles) {
  // Two small simulated pools (64 samples, the demo's largest budget), side by side.
  const auto dir = testing::make_temp_dir("demo");
  const auto weak = dir / "weak.jsonl", strong = dir / "strong.jsonl";
  pool::write_pool(pool::simulate_pool(pool::simulator_profile("strong-reasoner", 0.6), 12, 64, 3).pool, weak);
  pool::write_pool(pool::simulate_pool(pool::simulator_profile("strong-reasoner", 0.95), 12, 64, 3).pool, strong);
  const auto out = dir / "out";
  const auto r = run_optscale("demo --pool '" + weak.string() + "' --pool '" + strong.string() + "' --out-dir '" +
                              out.string() + "' --folds 3 --orders 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("SIMULATED", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("A: weak.jsonl; pool: " + weak.string()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("B: strong.jsonl; pool: " + strong.string()), std::string::npos) << r.out;
  for (const char* family : {"bon", "sc", "esc", "asc", "optscale0", "optscalet", "optscale-seq", "hybrid"})
    for (const char* budget : {" 8 ", " 16 ", " 32 ", " 64 "}) {
      bool found = false;
      std::istringstream lines(r.out);
      std::string line;
      while (std::getline(lines, line))
        if (line.rfind(std::string(family) + " ", 0) == 0 && line.find(budget) != std::string::npos) found = true;
      EXPECT_TRUE(found) << family << budget << "\n" << r.out;
    }
  EXPECT_NE(r.out.find("3-fold cross-validation"), std::string::npos);
  const nlohmann::json json = nlohmann::json::parse(slurp(out / "demo.json"));
  EXPECT_EQ(json["data"], "SIMULATED");
  ASSERT_EQ(json["panels"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const nlohmann::json& panel = json["panels"][i];
    EXPECT_EQ(panel["tune"]["tuned"].size(), 32u);  // 8 strategies x 4 budgets
    // The printed line is the one computed from this panel's figures: its
    // pick is the cheapest tuned cell within the tolerance of the most
    // accurate, the wider of 0.2 points and that cell's standard error.
    const std::string line = panel["recommendation"]["line"];
    EXPECT_NE(r.out.find(std::string(1, char('A' + i)) + ". " + line), std::string::npos) << line;
    double best = 0.0;
    for (const auto& cell : panel["tune"]["tuned"]) best = std::max(best, cell["accuracy"].get<double>());
    const nlohmann::json& best_cell = panel["recommendation"]["best"];
    EXPECT_DOUBLE_EQ(best_cell["accuracy"].get<double>(), best);
    const double tolerance = panel["recommendation"]["tolerance"].get<double>();
    EXPECT_DOUBLE_EQ(tolerance, std::max(0.002, best_cell["accuracy_se"].get<double>()));
    double cheapest = 1e300;
    for (const auto& cell : panel["tune"]["tuned"])
      if (cell["accuracy"].get<double>() >= best - tolerance - 1e-12)
        cheapest = std::min(cheapest, cell["mean_tokens"].get<double>());
    EXPECT_DOUBLE_EQ(panel["recommendation"]["mean_tokens"].get<double>(), cheapest) << line;
    EXPECT_EQ(line.rfind(panel["label"].get<std::string>() + ": pick " +
                             panel["recommendation"]["family"].get<std::string>() + " n=" +
                             std::to_string(panel["recommendation"]["budget"].get<int>()),
                         0),
              0u)
        << line;
  }
  const std::string svg = slurp(out / "demo.svg");
  EXPECT_EQ(testing::xml_problem(svg), "");
  // Two plots side by side, each titled SIMULATED.
  std::size_t titles = 0;
  for (std::size_t at = svg.find("<title>SIMULATED pool"); at != std::string::npos;
       at = svg.find("<title>SIMULATED pool", at + 1))
    ++titles;
  EXPECT_GE(titles, 2u);
  EXPECT_NE(svg.find("<svg x=\"0\" y=\"0\""), std::string::npos);
  EXPECT_NE(svg.find("<svg x=\"1080\" y=\"0\""), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(DemoCommand, WithoutPoolsSimulatesAWeakAndAStrongVerifierAndSaysWhichToPick) {
  const auto dir = testing::make_temp_dir("demo-default");
  const auto r = run_optscale("demo --out-dir '" + dir.string() + "' --orders 1 --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("SIMULATED", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("A: strong reasoner, weak verifier (AUROC 0.6); pool: simulate --profile strong-reasoner "
                       "--verifier-auroc 0.6"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("B: strong reasoner, strong verifier (AUROC 0.95)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nA. strong reasoner, weak verifier (AUROC 0.6): pick "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nB. strong reasoner, strong verifier (AUROC 0.95): pick "), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(ReplayCommands, BadInputGivesAClearError) {
  auto r = run_optscale("eval --pool /nonexistent/pool.jsonl --strategy bon:n=1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("optscale: error:"), std::string::npos) << r.err;
  r = run_optscale("eval --pool " + fixture("three-problems.jsonl") + " --strategy bon:n=5");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("problem 'p1'"), std::string::npos) << r.err;
  r = run_optscale("eval --pool " + fixture("three-problems.jsonl") + " --strategy nosuch:n=2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  r = run_optscale("tune --pool " + fixture("three-problems.jsonl") + " --strategy bon:n=2 --folds 4");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("folds"), std::string::npos) << r.err;
  r = run_optscale("eval --pool " + fixture("three-problems.jsonl") + " --strategy bon:n=2 --orders 0");
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace optscale::replay
