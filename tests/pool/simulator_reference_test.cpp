// The math500 simulator profile stays calibrated against the real data
// (docs/simulator.md, "Calibration"): run on a seed the tuning did not use,
// every figure of the calibration report must stay within the stated tolerance.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>

#include "optscale/pool/simulator_calibration.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

// Tolerances, as stated in docs/simulator.md.
constexpr double kMeanQuantileTolerance = 0.02;
constexpr double kStdQuantileTolerance = 0.015;
constexpr double kBestOfNTolerance = 0.02;      // every N = 1..64
constexpr double kMajorityTolerance = 0.02;     // every N = 1..64
constexpr double kTokensRelativeTolerance = 0.10;
constexpr double kPriorMaeTolerance = 0.004;
constexpr double kPriorSpearmanTolerance = 0.06;

class SimulatorCalibration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = testing::shared_data_dir();
    if (!dir) return;
    const auto simulated = simulate_pool(simulator_profile("math500"), 10000, 64, 1);
    report_ = new CalibrationReport(
        compare_with_reference(simulated, load_calibration_reference(*dir, "math500"), 1));
  }
  static void TearDownTestSuite() {
    delete report_;
    report_ = nullptr;
  }
  static CalibrationReport* report_;
};

CalibrationReport* SimulatorCalibration::report_ = nullptr;

#define OPTSCALE_REQUIRE_REPORT()                                 \
  OPTSCALE_REQUIRE_SHARED_DATA(shared);                           \
  (void)shared;                                                   \
  ASSERT_NE(report_, nullptr);                                    \
  const CalibrationReport& r = *report_

TEST_F(SimulatorCalibration, PerProblemScoreMeanQuantilesMatchTheRealLabels) {
  OPTSCALE_REQUIRE_REPORT();
  ASSERT_EQ(r.mean_quantiles.size(), 7u);
  for (const auto& q : r.mean_quantiles) {
    EXPECT_NEAR(q.simulated, q.reference, kMeanQuantileTolerance) << "level " << q.level;
  }
}

TEST_F(SimulatorCalibration, PerProblemScoreStdQuantilesMatchTheRealLabels) {
  OPTSCALE_REQUIRE_REPORT();
  for (const auto& q : r.std_quantiles) {
    EXPECT_NEAR(q.simulated, q.reference, kStdQuantileTolerance) << "level " << q.level;
  }
}

TEST_F(SimulatorCalibration, BestOfNCurveHasThePublishedShape) {
  OPTSCALE_REQUIRE_REPORT();
  ASSERT_EQ(r.best_of_n.size(), 64u);
  for (const auto& c : r.best_of_n) {
    EXPECT_NEAR(c.simulated, c.reference, kBestOfNTolerance) << "N = " << c.n;
  }
  // The shape: most of the gain comes from the first few samples.
  const double gain_by_5 = r.best_of_n[4].simulated - r.best_of_n[0].simulated;
  const double gain_after = r.best_of_n[63].simulated - r.best_of_n[4].simulated;
  EXPECT_GT(gain_by_5, 0.02);
  EXPECT_LT(std::fabs(gain_after), 0.015);
}

TEST_F(SimulatorCalibration, MajorityVoteCurveFollowsThePublishedOne) {
  OPTSCALE_REQUIRE_REPORT();
  for (const auto& c : r.majority) {
    EXPECT_NEAR(c.simulated, c.reference, kMajorityTolerance) << "N = " << c.n;
  }
}

TEST_F(SimulatorCalibration, TokensPerSampleAreOfThePublishedOrder) {
  OPTSCALE_REQUIRE_REPORT();
  EXPECT_NEAR(r.tokens_per_sample_simulated / r.tokens_per_sample_reference, 1.0,
              kTokensRelativeTolerance);
}

TEST_F(SimulatorCalibration, PriorErrsLikeARealisticPredictor) {
  OPTSCALE_REQUIRE_REPORT();
  EXPECT_NEAR(r.prior_mu_vs_truth.mae, kTargetPriorMuMae, kPriorMaeTolerance);
  EXPECT_NEAR(r.prior_mu_vs_truth.spearman, kTargetPriorMuSpearman, kPriorSpearmanTolerance);
  EXPECT_NEAR(r.prior_sigma_vs_truth.mae, kTargetPriorSigmaMae, kPriorMaeTolerance);
  EXPECT_NEAR(r.prior_sigma_vs_truth.spearman, kTargetPriorSigmaSpearman, kPriorSpearmanTolerance);
}

}  // namespace
}  // namespace optscale::pool

namespace optscale::pool {
namespace {

// The calibration report as the program prints it (docs/simulator.md).
TEST(SimulateCalibrationReport, ProgramPrintsTheComparisonAsJson) {
  OPTSCALE_REQUIRE_SHARED_DATA(shared);
  const auto r = testing::run_optscale("simulate --problems 200 --seed 3 --calibration-report --json "
                                       "--shared-data '" + shared.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["simulated"], true);
  EXPECT_EQ(j["profile"], "math500");
  EXPECT_EQ(j["problems"], 200);
  EXPECT_EQ(j["best_of_n"].size(), 64u);
  EXPECT_DOUBLE_EQ(j["best_of_n"][0]["reference"].get<double>(), 0.896);  // published BoN at N = 1
  EXPECT_EQ(j["score_std_quantiles"].size(), 7u);
  const auto text = testing::run_optscale("simulate --problems 50 --calibration-report --shared-data '" +
                                          shared.string() + "'");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.out.starts_with("SIMULATED pool calibration: profile math500")) << text.out;
}

TEST(SimulateCalibrationReport, MissingReferenceDataIsNamed) {
  const auto r = testing::run_optscale("simulate --problems 5 --calibration-report --shared-data /nonexistent");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/optscale-reference/predictor_training/train_mu_sigma.json: cannot open"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace optscale::pool
