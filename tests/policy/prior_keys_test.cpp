// The spec keys predictor=PATH and priors=PATH of optscalet, dsc and
// optscale-seq: parsing, canonical specs, the defaults they change, and the
// check that a runner resolved them before a policy uses a prior.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "optscale/policy/run.hpp"
#include "policy_test_util.hpp"
#include "test_support.hpp"

namespace optscale::policy {
namespace {

using optscale::testing::error_message;
using ::testing::HasSubstr;
using testing::obs;
using testing::problem;
using testing::ScriptedFits;
using testing::strategy;
using Kind = policy::PriorSource::Kind;

std::vector<Observation> pool(int size) { return std::vector<Observation>(static_cast<std::size_t>(size), obs(0.5)); }

TEST(PriorKeys, PredictorKeyNamesAModelAndDefaultsPriorStdToItsUncertainty) {
  const auto s = strategy("optscalet:n=16,predictor=models/m.json");
  EXPECT_EQ(s->spec(),
            "optscalet:n=16,peek=5,target=0.95,confidence=0.95,method=exact,bounds=default,"
            "prior_std=predictor,missing_prior=error,predictor=models/m.json");
  ASSERT_TRUE(s->prior_source().has_value());
  EXPECT_EQ(*s->prior_source(), (policy::PriorSource{Kind::model, "models/m.json"}));
  EXPECT_EQ(strategy(s->spec())->spec(), s->spec());  // round trip
  // The paper's fixed 0.1 stays available for parity.
  EXPECT_THAT(strategy("optscalet:n=16,predictor=m.json,prior_std=0.1")->spec(), HasSubstr("prior_std=0.1,"));
}

TEST(PriorKeys, PriorsKeyNamesAFileAndKeepsTheFixedStd) {
  const auto s = strategy("optscalet:n=16,priors=p.json");
  EXPECT_THAT(s->spec(), HasSubstr("prior_std=0.1,missing_prior=error,priors=p.json"));
  EXPECT_EQ(*s->prior_source(), (policy::PriorSource{Kind::priors_file, "p.json"}));
  EXPECT_FALSE(strategy("optscalet:n=16")->prior_source().has_value());
  EXPECT_FALSE(strategy("bon:n=16")->prior_source().has_value());
}

TEST(PriorKeys, BothKeysOrIgnoringThemAreErrors) {
  EXPECT_THAT(error_message([] { strategy("optscalet:n=16,predictor=m.json,priors=p.json"); }),
              HasSubstr("give predictor=PATH or priors=PATH, not both"));
  EXPECT_THAT(error_message([] { strategy("dsc:n=16,priors=p.json,difficulty=peek"); }),
              HasSubstr("difficulty=peek ignores the spec's priors=p.json"));
  EXPECT_THAT(error_message([] { strategy("optscale-seq:n=16,predictor=m.json,prior=none"); }),
              HasSubstr("prior=none ignores the spec's predictor=m.json"));
  EXPECT_THAT(error_message([] { strategy("optscale0:n=16,priors=p.json"); }), HasSubstr("unknown key 'priors'"));
}

TEST(PriorKeys, NamingASourceSwitchesDscAndSeqToIt) {
  EXPECT_THAT(strategy("dsc:n=16,priors=p.json")->spec(), HasSubstr("difficulty=prior,"));
  EXPECT_THAT(strategy("dsc:n=16,priors=p.json")->spec(), HasSubstr(",priors=p.json"));
  EXPECT_THAT(strategy("optscale-seq:n=16,predictor=m.json")->spec(),
              HasSubstr("prior=predictor,prior_std=predictor,predictor=m.json"));
  EXPECT_THAT(strategy("optscale-seq:n=16,priors=p.json,prior=auto")->spec(),
              HasSubstr("prior=auto,prior_std=0.1,priors=p.json"));
}

TEST(PriorKeys, APriorNotResolvedFromTheNamedSourceIsRefused) {
  ScriptedFits fits(0.97, 0.02);
  ProblemInfo info = problem("q7", &fits);
  info.prior = std::array<double, 2>{0.6, 0.12};  // the pool's own prior
  const auto s = strategy("optscalet:n=16,priors=p.json");
  const std::string e = error_message([&] { s->start(info); });
  EXPECT_THAT(e, HasSubstr("problem 'q7'"));
  EXPECT_THAT(e, HasSubstr("the spec names priors=p.json but the problem's prior is its own"));
  info.prior_source = "priors=other.json";
  EXPECT_THAT(error_message([&] { s->start(info); }), HasSubstr("came from priors=other.json"));

  std::vector<ProblemInfo> problems{info};
  problems[0].prior_source.clear();
  const std::vector<std::vector<Observation>> observations{pool(16)};
  EXPECT_THAT(error_message([&] { run_strategy(*strategy("dsc:n=16,priors=p.json"), problems, observations); }),
              HasSubstr("the spec names priors=p.json"));
}

TEST(PriorKeys, AResolvedPriorAndItsUncertaintyReachTheFit) {
  ScriptedFits fits(0.97, 0.02);
  ProblemInfo info = problem("p", &fits);
  info.prior = std::array<double, 2>{0.91, 0.06};
  info.prior_std = std::array<double, 2>{0.03, 0.02};
  info.prior_source = "predictor=m.json";
  run_policy(*strategy("optscalet:n=16,predictor=m.json"), info, pool(16));
  ASSERT_EQ(fits.calls.size(), 1u);
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->mean_mu, 0.91);
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->std_mu, 0.03);
  EXPECT_DOUBLE_EQ(fits.calls[0].prior->std_sigma, 0.02);
  run_policy(*strategy("optscalet:n=16,predictor=m.json,prior_std=0.1"), info, pool(16));
  EXPECT_DOUBLE_EQ(fits.calls.back().prior->std_mu, 0.1);
}

}  // namespace
}  // namespace optscale::policy
