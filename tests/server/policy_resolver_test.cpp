// The policy of each proxied request: the server's spec changed by the
// request's overrides, built by the policy layer, refused with 400 when the
// overrides make no usable policy.
#include "optscale/server/policy_resolver.hpp"

#include <gtest/gtest.h>

#include "optscale/policy/spec.hpp"
#include "optscale/server/api_error.hpp"

namespace optscale::server {
namespace {

std::string canonical(const std::string& spec) { return policy::make_strategy(policy::parse_spec(spec))->spec(); }

TEST(PolicyResolver, WithoutOverridesTheDefaultIsShared) {
  const PolicyResolver resolver("optscale-seq:n=16,batch=4", 64);
  EXPECT_EQ(resolver.default_strategy().spec(), canonical("optscale-seq:n=16,batch=4"));
  const auto a = resolver.resolve({});
  const auto b = resolver.resolve({});
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a.get(), &resolver.default_strategy());
}

TEST(PolicyResolver, OverridesSetTheirKeys) {
  const PolicyResolver resolver("optscale-seq:n=16,batch=4,delta=0.1", 64);
  RequestOverrides o;
  o.target = 0.9;
  EXPECT_EQ(resolver.resolve(o)->spec(), canonical("optscale-seq:n=16,batch=4,delta=0.1,target=0.9"));
  o = {};
  o.confidence = 0.99;  // replaces delta
  EXPECT_EQ(resolver.resolve(o)->spec(), canonical("optscale-seq:n=16,batch=4,confidence=0.99"));
  o = {};
  o.budget = 8;
  EXPECT_EQ(resolver.resolve(o)->budget(), 8);
  EXPECT_EQ(resolver.resolve(o)->spec(), canonical("optscale-seq:n=8,batch=4,delta=0.1"));
  o = {};
  o.policy = "bon:n=4";
  EXPECT_EQ(resolver.resolve(o)->spec(), "bon:n=4");
  o.budget = 6;
  EXPECT_EQ(resolver.resolve(o)->spec(), "bon:n=6");
  o = {};
  o.policy = "optscale0:n=16";
  o.target = 0.123456789;  // numbers travel exactly
  EXPECT_EQ(resolver.resolve(o)->spec(), canonical("optscale0:n=16,target=0.123456789"));
}

TEST(PolicyResolver, UnusableOverridesAre400NamingTheFieldAtFault) {
  const PolicyResolver resolver("bon:n=8", 32);
  auto refused = [&](RequestOverrides o, const std::string& phrase, const std::string& param) {
    try {
      resolver.resolve(o);
      ADD_FAILURE() << "accepted; expected " << phrase;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.param(), param) << e.what();
      EXPECT_NE(std::string(e.what()).find(phrase), std::string::npos) << e.what();
    }
  };
  RequestOverrides o;
  o.target = 0.9;
  refused(o, "target", "optscale.target");  // bon has no target
  o = {};
  o.budget = 33;
  refused(o, "--max-budget", "optscale.budget");
  o = {};
  o.policy = "dsc:n=8";
  refused(o, "across problems", "optscale.policy");
  o.policy = "bon:n=4|8";
  refused(o, "sweep", "optscale.policy");
  o.policy = "nope";
  refused(o, "unknown strategy", "optscale.policy");
  o.policy = "optscalet:n=8";
  refused(o, "prior", "optscale.policy");
  o.policy = "bon:n=";
  refused(o, "empty value", "optscale.policy");
  // A usable policy, and a key it does not take.
  o.policy = "bon:n=4";
  o.confidence = 0.9;
  refused(o, "confidence", "optscale.confidence");
}

TEST(PolicyResolver, AnUnusableDefaultIsAStartupError) {
  for (const std::string spec : {"bon:n=4|8", "dsc:n=8", "nope", "optscalet:n=8", "bon:n=100", "bon"}) {
    try {
      PolicyResolver(spec, 64);
      ADD_FAILURE() << spec;
    } catch (const ApiError&) {
      ADD_FAILURE() << spec << ": an ApiError is for requests";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--policy: ", 0), 0u) << e.what();
    }
  }
  EXPECT_THROW(PolicyResolver("bon:n=4", 0), Error);
}


TEST(PolicyResolver, APredictorModelIsLoadedOnceAndRequestsMayNameNoOtherFile) {
  EXPECT_THROW(PolicyResolver("optscalet:n=8,predictor=default", 64), Error);  // no priors: refused
  RequestPriors priors;
  const PolicyResolver resolver("optscalet:n=8,predictor=default", 64, &priors);
  EXPECT_TRUE(priors.loaded(*resolver.default_strategy().prior_source()));
  RequestOverrides o;
  o.budget = 4;
  EXPECT_EQ(resolver.resolve(o)->budget(), 4);
  o = {};
  o.policy = "optscalet:n=8,predictor=/etc/hostname";
  try {
    resolver.resolve(o);
    FAIL() << "a request named a file of the server";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_NE(std::string(error.what()).find("only the predictor of --policy"), std::string::npos) << error.what();
  }
  // Priors files give priors by problem id: requests have none.
  EXPECT_THROW(PolicyResolver("optscalet:n=8,priors=/etc/hostname", 64, &priors), Error);
}

TEST(RequestPriors, PredictsFromTheProblemText) {
  RequestPriors priors;
  const policy::PriorSource source{policy::PriorSource::Kind::model, "default"};
  policy::ProblemInfo info;
  info.text = "How many primes are there below 30?";
  priors.apply(source, info);
  ASSERT_TRUE(info.prior.has_value());
  ASSERT_TRUE(info.prior_std.has_value());
  EXPECT_EQ(info.prior_source, "predictor=default");
  EXPECT_GT((*info.prior_std)[0], 0.0);
  policy::ProblemInfo again;
  again.text = info.text;
  priors.apply(source, again);
  EXPECT_EQ(again.prior, info.prior);  // deterministic, from the one loaded model
  policy::ProblemInfo empty;
  EXPECT_THROW(priors.apply(source, empty), Error);
}

}  // namespace
}  // namespace optscale::server
