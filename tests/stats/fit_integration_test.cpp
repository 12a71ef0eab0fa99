// `optscale fit` run as a real process: its JSON must be exactly what the
// library computes, and every bad input must give one error line and exit != 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <utility>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "optscale/stats/estimators.hpp"
#include "test_support.hpp"

namespace optscale {
namespace {

using testing::run_optscale;

nlohmann::json run_json(const std::string& args) {
  const auto r = run_optscale(args + " --json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(FitCommand, MleJsonMatchesTheLibrary) {
  const auto out = run_json("fit --scores 0.91,0.97,0.88");
  const std::vector<double> scores = {0.91, 0.97, 0.88};
  const stats::FitResult fit = stats::fit_truncated_normal(scores);
  // nlohmann prints doubles in shortest round-trip form: equality is exact.
  EXPECT_EQ(out.at("mu").get<double>(), fit.mu);
  EXPECT_EQ(out.at("sigma").get<double>(), fit.sigma);
  EXPECT_EQ(out.at("log_likelihood").get<double>(), fit.log_likelihood);
  EXPECT_EQ(out.at("objective").get<double>(), fit.objective);
  EXPECT_EQ(out.at("converged").get<bool>(), true);
  EXPECT_EQ(out.at("iterations").get<int>(), fit.iterations);
  EXPECT_EQ(out.at("method"), "mle");
  EXPECT_EQ(out.at("bounds"), "default");
  EXPECT_EQ(out.at("k"), 3);
}

TEST(FitCommand, MapWithPriorFlags) {
  const auto out = run_json(
      "fit --scores ' 0.91, 0.97 ,0.88' --prior-mu 0.55 --prior-sigma -0.02 --prior-std-mu 0.2 "
      "--prior-std-sigma 0.05");
  const std::vector<double> scores = {0.91, 0.97, 0.88};
  const stats::FitResult fit =
      stats::fit_truncated_normal(scores, stats::FitPrior{0.55, -0.02, 0.2, 0.05});
  EXPECT_EQ(out.at("method"), "map");
  EXPECT_EQ(out.at("mu").get<double>(), fit.mu);
  EXPECT_EQ(out.at("sigma").get<double>(), fit.sigma);
  EXPECT_EQ(out.at("objective").get<double>(), fit.objective);
  EXPECT_NE(out.at("objective").get<double>(), out.at("log_likelihood").get<double>());
}

TEST(FitCommand, PriorStdsDefaultToThePapers) {
  const auto with_defaults = run_json("fit --scores 0.9,0.95 --prior-mu 0.6 --prior-sigma 0.1");
  const auto explicit_stds = run_json(
      "fit --scores 0.9,0.95 --prior-mu 0.6 --prior-sigma 0.1 --prior-std-mu 0.1 --prior-std-sigma 0.1");
  EXPECT_EQ(with_defaults, explicit_stds);
}

TEST(FitCommand, ReferenceBoundsAreTheReferenceBox) {
  const auto out = run_json("fit --scores 0.7 --bounds reference");
  EXPECT_EQ(out.at("bounds"), "reference");
  EXPECT_EQ(out.at("sigma").get<double>(), 1e-6);
  const auto boxed = run_json("fit --scores 0.7");
  EXPECT_EQ(boxed.at("sigma").get<double>(), 0.005);
}

// Sets environment variables for the child processes of one test.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (const auto& [name, value] : vars) {
      setenv(name, value, 1);
      names_.push_back(name);
    }
  }
  ~ScopedEnv() {
    for (const char* name : names_) unsetenv(name);
  }

 private:
  std::vector<const char*> names_;
};

TEST(FitCommand, FlagsHaveEnvironmentMirrors) {
  const auto direct = run_json("fit --scores 0.8,0.85 --prior-mu 0.7 --prior-sigma 0.05");
  {
    const ScopedEnv env{{"OPTSCALE_SCORES", "0.8,0.85"}, {"OPTSCALE_PRIOR_MU", "0.7"},
                        {"OPTSCALE_PRIOR_SIGMA", "0.05"}, {"OPTSCALE_JSON", "1"}};
    const auto r = run_optscale("fit");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out), direct);
  }
  {
    // A flag wins over its variable.
    const ScopedEnv env{{"OPTSCALE_SCORES", "0.1,0.2"}};
    EXPECT_EQ(run_json("fit --scores 0.8,0.85 --prior-mu 0.7 --prior-sigma 0.05"), direct);
  }
}

TEST(FitCommand, HumanOutputNamesEveryQuantity) {
  const auto r = run_optscale("fit --scores 0.91,0.97,0.88 --prior-mu 0.55 --prior-sigma 0.1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* word : {"MAP", "mu", "sigma", "log likelihood", "log posterior", "converged"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " in\n" << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(FitCommand, NonConvergenceIsReportedNotHidden) {
  const auto r = run_optscale("fit --scores 0.12,0.55,0.98 --bounds reference --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(r.out).at("converged").get<bool>());
  EXPECT_NE(r.err.find("did not converge"), std::string::npos) << r.err;
}

struct BadCase {
  std::string args;
  std::string expected;  // a phrase the one error line must contain
};

TEST(FitCommand, BadInputGivesOneClearLineAndNonZeroExit) {
  const BadCase cases[] = {
      {"fit", "--scores is required"},
      {"fit --scores ''", "item 1 is empty"},
      {"fit --scores 0.9,,0.8", "item 2 is empty"},
      {"fit --scores 0.9,abc", "item 2 ('abc') is not a number"},
      {"fit --scores 0.9,0.5x", "item 2 ('0.5x') is not a number"},
      {"fit --scores 0.9,1.5", "score 2 of 2 (index 1) is 1.5, outside [0, 1]"},
      {"fit --scores 0.9,-0.1,0.2", "index 1"},
      {"fit --scores nan", "not a finite number"},
      {"fit --scores 0.3,inf", "not a finite number"},
      {"fit --scores 0.9 --prior-mu 0.5", "missing --prior-sigma"},
      {"fit --scores 0.9 --prior-sigma 0.1", "missing --prior-mu"},
      {"fit --scores 0.9 --prior-std-sigma 0.2", "need a prior"},
      {"fit --scores 0.9 --prior-mu 0.5 --prior-sigma 0.1 --prior-std-mu 0", "prior std of mu"},
      {"fit --scores 0.9 --prior-mu 0.5 --prior-sigma 0.1 --prior-std-sigma -1", "prior std of sigma"},
      {"fit --scores 0.9 --prior-mu nan --prior-sigma 0.1", "prior means must be finite"},
      {"fit --scores 0.9 --prior-mu x --prior-sigma 0.1", "--prior-mu"},
      {"fit --scores 0.9 --bounds wide", "--bounds"},
      {"fit --scores 0.9 --no-such-flag", "no-such-flag"},
  };
  for (const BadCase& c : cases) {
    const auto r = run_optscale(c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    EXPECT_TRUE(r.out.empty()) << c.args << ": " << r.out;
    EXPECT_EQ(r.err.rfind("optscale: error: ", 0), 0u) << c.args << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace optscale
