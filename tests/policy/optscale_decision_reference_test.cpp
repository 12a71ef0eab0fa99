// OptScale^0 / OptScale^t decisions against the reference's own (MATH500,
// reference-decisions/math500.json): given the reference's fitted (mu, sigma)
// for a problem, our policy must draw the reference's min_n samples (the bound
// raised to the peek). Only the fit is scripted; the peek rule, delta, the
// bound and the stopping are ours. The parameters are printed to 4 decimals,
// so a few decisions near an integer boundary may differ by a sample.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "optscale/policy/run.hpp"
#include "policy_test_util.hpp"
#include "test_support.hpp"

namespace optscale::policy {
namespace {

using testing::ScriptedFits;

struct Agreement {
  int same = 0;
  int total = 0;
  int ours_more = 0;         // we draw more than the reference
  int off_by_more_than_one = 0;
  double rate() const { return total == 0 ? 0.0 : static_cast<double>(same) / total; }
};

// Every `stride`-th run of each setting (the grid routine is slow).
Agreement agreement(const nlohmann::json& decisions, const std::string& method, int stride) {
  Agreement result;
  const std::vector<Observation> pool(64, testing::obs(0.5, 0, 1));
  for (const auto& setting : decisions.at("settings")) {
    const int peek = setting.at("peek");
    const int budget = setting.at("max_n");
    const auto& runs = setting.at("runs");
    for (std::size_t r = 0; r < runs.size(); r += static_cast<std::size_t>(stride)) {
      const auto& run = runs[r];
      const bool map = run.at("method") == "MAP";
      const std::string spec = std::string(map ? "optscalet" : "optscale0") + ":n=" +
                               std::to_string(budget) + ",peek=" + std::to_string(peek) +
                               ",target=" + nlohmann::json(run.at("target")).dump() +
                               ",delta=" + nlohmann::json(run.at("percentile")).dump() +
                               ",method=" + method + ",bounds=reference";
      const auto strategy = testing::strategy(spec);
      for (const auto& params : setting.at("params")) {
        const int index = params.at("index");
        const auto& fitted = params.at(map ? "map" : "mle");
        ScriptedFits fits(fitted.at(0).get<double>(), fitted.at(1).get<double>());
        ProblemInfo info = testing::problem("math500-" + std::to_string(index), &fits);
        info.prior = std::array<double, 2>{params.at("predictor").at(0).get<double>(),
                                           params.at("predictor").at(1).get<double>()};
        const int ours = run_policy(*strategy, info, pool).consumed;
        const int theirs = run.at("min_n").at(index);
        ++result.total;
        result.same += ours == theirs;
        result.ours_more += ours > theirs;
        result.off_by_more_than_one += std::abs(ours - theirs) > 1;
      }
    }
  }
  return result;
}

nlohmann::json load(const std::filesystem::path& data) {
  std::ifstream in(data / "reference-decisions" / "math500.json");
  return nlohmann::json::parse(in);
}

// Measured on all 96 runs: 19146 of 19200 identical, the rest off by one
// either way (the 4-decimal parameters).
TEST(OptScaleDecisionReference, GridMethodReproducesTheReferenceDecisions) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const Agreement a = agreement(load(data), "grid", 3);
  std::cout << "grid: " << a.same << " of " << a.total << " decisions identical\n";
  EXPECT_EQ(a.total, 4 * 32 * 50);
  EXPECT_GE(a.rate(), 0.995);
  EXPECT_EQ(a.off_by_more_than_one, 0);
}

// The closed form departs from the grid where the grid drifts upwards or falls
// back to the budget (paper-spec §1): measured 18603 of 19200 identical, 581
// of the 597 others below the reference's count, 16 above (rounded parameters).
TEST(OptScaleDecisionReference, ExactMethodDiffersMostlyByTheGridsUpwardDrift) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const Agreement a = agreement(load(data), "exact", 1);
  std::cout << "exact: " << a.same << " of " << a.total << " decisions identical, " << a.ours_more
            << " above the reference\n";
  EXPECT_EQ(a.total, 4 * 96 * 50);
  EXPECT_GE(a.rate(), 0.965);
  EXPECT_LE(a.ours_more, a.total / 500);
}

}  // namespace
}  // namespace optscale::policy
