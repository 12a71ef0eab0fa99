#include "optscale/replay/report.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/tuning_report.hpp"

#include <gtest/gtest.h>

#include "result_fixture.hpp"

#include <sstream>

#include "xml_check.hpp"

namespace optscale::replay {
namespace {

// Every result here also says how its runs stopped.
StrategyResult make_result(const std::string& spec, int budget, std::vector<double> accuracy,
                           std::vector<double> tokens) {
  StrategyResult r = fixtures::make_result(spec, budget, std::move(accuracy), std::move(tokens));
  r.stop_reasons = {{"budget", 3}, {"bound", 1}};
  return r;
}

ReplayResult sample_result(bool synthetic) {
  ReplayResult result;
  result.problems = 4;
  result.orders = 1;
  result.synthetic = synthetic;
  result.strategies = {
      make_result("bon:n=8", 8, {1, 1, 0, 1}, {800, 900, 1000, 700}),
      make_result("optscale0:n=8,peek=3,target=0.95,confidence=0.95", 8, {1, 1, 0, 0}, {300, 400, 800, 500}),
      make_result("optscale0:n=8,peek=3,target=0.99,confidence=0.95", 8, {1, 1, 1, 0}, {500, 600, 900, 700}),
  };
  return result;
}

TEST(Report, TableShowsEveryStrategyWithFigures) {
  const std::string table = format_table(sample_result(false), ReportSource{"pool.jsonl", {}});
  EXPECT_EQ(table.find("SIMULATED"), std::string::npos);
  EXPECT_NE(table.find("pool: pool.jsonl (4 problems); orders: 1 (pool order)"), std::string::npos);
  EXPECT_NE(table.find("Student t interval over problems"), std::string::npos);
  // bon: 3/4 correct, (800+900+1000+700)/4 = 850 tokens, 8 samples.
  std::istringstream lines(table);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.rfind("bon:n=8 ", 0) != 0) continue;
    found = true;
    EXPECT_NE(line.find("75.00"), std::string::npos) << line;
    EXPECT_NE(line.find("850"), std::string::npos) << line;
    EXPECT_NE(line.find("8.00"), std::string::npos) << line;
    EXPECT_NE(line.find("bound:1 budget:3"), std::string::npos) << line;
  }
  EXPECT_TRUE(found) << table;
}

TEST(Report, JsonCarriesTheSchemaTheIssueAsksFor) {
  const ReplayResult result = sample_result(false);
  const nlohmann::json json = to_json(result, ReportSource{"pool.jsonl", {"bon:n=8", "optscale0:target=0.95|0.99", "optscale0:target=0.95|0.99"}});
  EXPECT_EQ(json["synthetic"], false);
  EXPECT_EQ(json["data"], "real");
  ASSERT_EQ(json["results"].size(), 3u);
  const auto& bon = json["results"][0];
  EXPECT_EQ(bon["strategy"], "bon:n=8");
  EXPECT_EQ(bon["given"], "bon:n=8");
  EXPECT_EQ(bon["budget"], 8);
  EXPECT_DOUBLE_EQ(bon["accuracy"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(bon["mean_tokens"].get<double>(), 850.0);
  EXPECT_DOUBLE_EQ(bon["mean_samples"].get<double>(), 8.0);
  ASSERT_TRUE(bon["accuracy_ci"].is_array());
  EXPECT_DOUBLE_EQ(bon["accuracy_ci"][0].get<double>(), *result.strategies[0].accuracy.ci_lo);
  EXPECT_LE(bon["accuracy_ci"][1].get<double>(), 1.0);
  ASSERT_TRUE(bon["tokens_ci"].is_array());
  EXPECT_EQ(bon["stop_reasons"]["budget"], 3);
  EXPECT_EQ(json["results"][1]["given"], "optscale0:target=0.95|0.99");
}

TEST(Report, CsvQuotesSpecsAndSaysWhereTheDataCameFrom) {
  const std::string csv = to_csv(sample_result(true), ReportSource{"p.jsonl", {}});
  std::istringstream lines(csv);
  std::string header, row;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("data,strategy,given,family,budget,accuracy,", 0), 0u);
  int rows = 0;
  while (std::getline(lines, row)) {
    if (row.empty() || row == "\r") continue;
    ++rows;
    EXPECT_EQ(row.rfind("SIMULATED,", 0), 0u) << row;
  }
  EXPECT_EQ(rows, 3);
  EXPECT_NE(csv.find("\"optscale0:n=8,peek=3,target=0.95,confidence=0.95\""), std::string::npos);
  EXPECT_NE(to_csv(sample_result(false), {}).find("\nreal,bon:n=8,"), std::string::npos);
}

TEST(Report, EveryReportOfASimulatedPoolSaysSimulated) {
  const ReplayResult result = sample_result(true);
  EXPECT_EQ(format_table(result, {}).rfind("SIMULATED", 0), 0u);
  const nlohmann::json json = to_json(result, {});
  EXPECT_EQ(json["synthetic"], true);
  EXPECT_EQ(json["data"], "SIMULATED");
  const std::string svg = render_svg(accuracy_plot(result, nullptr, "accuracy vs tokens", ""));
  EXPECT_NE(svg.find("<title>SIMULATED pool"), std::string::npos);
  const TuningResult tuning = tune(result, TuningOptions{Selection::test, 2, 0});
  EXPECT_EQ(format_tuning_table(result, tuning, {}).rfind("SIMULATED", 0), 0u);
  EXPECT_EQ(tuning_json(result, tuning, {})["data"], "SIMULATED");
  EXPECT_NE(render_svg(tuning_plot(result, tuning, nullptr, "tuned", "")).find("<title>SIMULATED pool"),
            std::string::npos);
  // And a real pool's reports do not.
  const ReplayResult real = sample_result(false);
  EXPECT_EQ(format_table(real, {}).find("SIMULATED"), std::string::npos);
  EXPECT_EQ(render_svg(accuracy_plot(real, nullptr, "t", "")).find("SIMULATED"), std::string::npos);
}

TEST(AccuracyPlot, OneSeriesPerFamilyPlusTheBonReference) {
  const ReplayResult result = sample_result(false);
  ReplayResult bon_curve;
  bon_curve.problems = 4;
  bon_curve.strategies = {make_result("bon:n=1", 1, {1, 0, 0, 1}, {100, 100, 100, 100}),
                          make_result("bon:n=2", 2, {1, 1, 0, 1}, {200, 200, 200, 200})};
  const Plot plot = accuracy_plot(result, &bon_curve, "title", "sub");
  ASSERT_EQ(plot.series.size(), 3u);
  EXPECT_TRUE(plot.series[0].reference);
  EXPECT_EQ(plot.series[0].name, "BoN n=1..2 (reference)");
  EXPECT_EQ(plot.series[0].line.size(), 2u);
  EXPECT_EQ(plot.series[1].name, "bon");
  EXPECT_EQ(plot.series[1].markers.size(), 1u);
  // Two configurations at one budget: a sweep, drawn faint with its front.
  EXPECT_TRUE(plot.series[2].faint);
  EXPECT_EQ(plot.series[2].markers.size(), 2u);
  EXPECT_EQ(plot.series[2].line.size(), 2u);  // 0.5 @ 500 and 0.75 @ 675: both on the front
  EXPECT_EQ(testing::xml_problem(render_svg(plot)), "");
}

TEST(AccuracyPlot, AOnePointFrontIsNamedARingNotALine) {
  ReplayResult result = sample_result(false);
  // optscale0's second configuration now dominates its first: one-point front.
  result.strategies[2] = make_result("optscale0:n=8,peek=3,target=0.99,confidence=0.95", 8, {1, 1, 1, 0},
                                     {300, 400, 800, 400});
  const Plot plot = accuracy_plot(result, nullptr, "title", "sub");
  ASSERT_EQ(plot.series.size(), 2u);
  EXPECT_EQ(plot.series[1].line.size(), 1u);
  EXPECT_EQ(plot.series[1].name, "optscale0 (2 configs; ring: its Pareto front, one point)");
  EXPECT_EQ(sample_result(false).strategies.size(), 3u);
  EXPECT_EQ(accuracy_plot(sample_result(false), nullptr, "t", "").series[1].name,
            "optscale0 (2 configs; line: its Pareto front)");
}

TEST(TuningPlot, EverySweptFamilyShowsItsOwnFrontAndAOnePointOverallFrontIsARing) {
  const ReplayResult result = sample_result(false);
  const TuningResult tuning = tune(result, TuningOptions{Selection::test, 2, 0});
  const Plot plot = tuning_plot(result, tuning, nullptr, "tuned", "");
  // bon (one configuration per budget), optscale0's grid and tuned cells, the overall front.
  ASSERT_EQ(plot.series.size(), 4u);
  EXPECT_EQ(plot.series[1].name, "optscale0 (every configuration; thin line: its Pareto front)");
  EXPECT_TRUE(plot.series[1].faint);
  EXPECT_EQ(plot.series[1].line.size(), 2u);  // 0.5 @ 500 and 0.75 @ 675
  EXPECT_EQ(plot.series[3].name, "Pareto front (every configuration, in-sample)");
  // One configuration dominating every other: the fronts are one point, named as rings.
  ReplayResult one = result;
  one.strategies[2] = make_result("optscale0:n=8,peek=3,target=0.99,confidence=0.95", 8, {1, 1, 1, 1},
                                  {100, 100, 100, 100});
  const Plot ringed = tuning_plot(one, tune(one, TuningOptions{Selection::test, 2, 0}), nullptr, "tuned", "");
  EXPECT_EQ(ringed.series[1].name, "optscale0 (every configuration; ring: its Pareto front, one point)");
  EXPECT_EQ(ringed.series.back().name, "Pareto front: one configuration (ring; in-sample)");
  EXPECT_EQ(ringed.series.back().line.size(), 1u);
  const std::string svg = render_svg(ringed);
  EXPECT_EQ(testing::xml_problem(svg), "");
  EXPECT_NE(svg.find("r=\"7.50\" fill=\"none\" stroke=\"#000000\""), std::string::npos);  // the ring
}

TEST(TuningReport, ListsCellsChoicesAndTheParetoFront) {
  const ReplayResult result = sample_result(false);
  const TuningResult tuning = tune(result, TuningOptions{Selection::cv, 2, 5});
  const std::string table = format_tuning_table(result, tuning, {});
  EXPECT_NE(table.find("2-fold cross-validation across problems"), std::string::npos);
  EXPECT_NE(table.find("Pareto front"), std::string::npos);
  EXPECT_NE(table.find("folds)"), std::string::npos);
  const nlohmann::json json = tuning_json(result, tuning, {});
  EXPECT_EQ(json["selection"], "cv");
  EXPECT_EQ(json["folds"], 2);
  ASSERT_EQ(json["tuned"].size(), 2u);
  EXPECT_EQ(json["tuned"][1]["configurations"], 2);
  EXPECT_EQ(json["tuned"][1]["chosen_per_fold"].size(), 2u);
  EXPECT_EQ(json["pareto"].size(), tuning.pareto.size());
  const TuningResult test = tune(result, TuningOptions{Selection::test, 2, 5});
  EXPECT_NE(format_tuning_table(result, test, {}).find("test-set selection (the paper's protocol, for parity)"),
            std::string::npos);
  EXPECT_EQ(tuning_json(result, test, {})["selection"], "test");
}

}  // namespace
}  // namespace optscale::replay
