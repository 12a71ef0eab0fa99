#include "optscale/policy/spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::policy {
namespace {

using optscale::testing::error_message;
using ::testing::HasSubstr;

std::vector<std::string> specs_of(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& s : make_strategies(text)) out.push_back(s->spec());
  return out;
}

TEST(ParseSpec, SplitsNameKeysAndLists) {
  const StrategySpec spec = parse_spec(" optscale0 : n=16, target=0.9|0.95 ,peek = 5");
  EXPECT_EQ(spec.name, "optscale0");
  ASSERT_EQ(spec.params.size(), 3u);
  EXPECT_EQ(spec.params[0].key, "n");
  EXPECT_EQ(spec.params[0].values, std::vector<std::string>{"16"});
  EXPECT_EQ(spec.params[1].key, "target");
  EXPECT_EQ(spec.params[1].values, (std::vector<std::string>{"0.9", "0.95"}));
  EXPECT_EQ(spec.params[2].values, std::vector<std::string>{"5"});
  EXPECT_TRUE(spec.is_sweep());
  EXPECT_EQ(spec.to_string(), "optscale0:n=16,target=0.9|0.95,peek=5");
}

TEST(ParseSpec, NameAlone) {
  EXPECT_EQ(parse_spec("bon").params.size(), 0u);
  EXPECT_EQ(parse_spec("bon:").params.size(), 0u);
}

TEST(ParseSpec, SyntaxErrorsQuoteTheSpec) {
  EXPECT_THAT(error_message([] { parse_spec(""); }), HasSubstr("expected a strategy name"));
  EXPECT_THAT(error_message([] { parse_spec("bon:n"); }), HasSubstr("'n' is not key=value"));
  EXPECT_THAT(error_message([] { parse_spec("bon:n=8,,x=1"); }), HasSubstr("is not key=value"));
  EXPECT_THAT(error_message([] { parse_spec("bon:=8"); }), HasSubstr("has no valid key"));
  EXPECT_THAT(error_message([] { parse_spec("bon:n="); }), HasSubstr("key 'n' has an empty value"));
  EXPECT_THAT(error_message([] { parse_spec("asc:n=8|"); }), HasSubstr("key 'n' has an empty value"));
  EXPECT_THAT(error_message([] { parse_spec("bon:n=8,n=16"); }), HasSubstr("key 'n' given twice"));
  EXPECT_THAT(error_message([] { parse_spec("Bon:n=8"); }), HasSubstr("strategy spec 'Bon:n=8'"));
}

TEST(ExpandSpec, EveryCombinationLastKeyFastest) {
  const auto expanded = expand_spec(parse_spec("asc:n=8|16,threshold=0.9|0.95|0.99"));
  std::vector<std::string> texts;
  for (const auto& s : expanded) texts.push_back(s.to_string());
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "asc:n=8,threshold=0.9", "asc:n=8,threshold=0.95", "asc:n=8,threshold=0.99",
                       "asc:n=16,threshold=0.9", "asc:n=16,threshold=0.95", "asc:n=16,threshold=0.99"}));
}

TEST(ExpandSpec, WithoutListsExpandsToItself) {
  EXPECT_EQ(expand_spec(parse_spec("bon:n=8")).size(), 1u);
  EXPECT_EQ(expand_spec(parse_spec("bon")).size(), 1u);
}

TEST(MakeStrategies, CanonicalSpecsListEveryKey) {
  EXPECT_EQ(specs_of("bon:n=8"), std::vector<std::string>{"bon:n=8"});
  EXPECT_EQ(specs_of("sc:n=8"), std::vector<std::string>{"sc:n=8,none_votes=0"});
  EXPECT_EQ(specs_of("esc:n=8"), std::vector<std::string>{"esc:n=8,window=5,none_votes=0"});
  EXPECT_EQ(specs_of("asc:n=8"), std::vector<std::string>{"asc:n=8,threshold=0.95,none_votes=0"});
  EXPECT_EQ(specs_of("dsc:n=16"),
            std::vector<std::string>{
                "dsc:n=16,window=5,threshold=0.95,difficulty=peek,peek=1,none_votes=0"});
  EXPECT_EQ(specs_of("optscale0:n=16"),
            std::vector<std::string>{
                "optscale0:n=16,peek=5,target=0.95,confidence=0.95,method=exact,bounds=default"});
  EXPECT_EQ(specs_of("optscalet:n=64,target=0.99,delta=0.075,method=grid,bounds=reference"),
            std::vector<std::string>{"optscalet:n=64,peek=20,target=0.99,confidence=0.925,"
                                     "method=grid,bounds=reference,prior_std=0.1,missing_prior=error"});
  EXPECT_EQ(specs_of("optscale-seq:n=32,prior=auto,prior_std=predictor"),
            std::vector<std::string>{
                "optscale-seq:n=32,peek=10,batch=1,futility=0.05,target=0.95,confidence=0.95,"
                "method=exact,bounds=default,prior=auto,prior_std=predictor"});
}

TEST(MakeStrategies, KeyOrderInTheSpecDoesNotMatter) {
  EXPECT_EQ(specs_of("optscale0:confidence=0.9,n=8,target=0.9"),
            specs_of("optscale0:n=8,target=0.9,confidence=0.9"));
}

TEST(MakeStrategies, SweepsExpandInOrder) {
  EXPECT_EQ(specs_of("optscale0:n=8,target=0.9|0.95,delta=0.01|0.05"),
            (std::vector<std::string>{
                "optscale0:n=8,peek=3,target=0.9,confidence=0.99,method=exact,bounds=default",
                "optscale0:n=8,peek=3,target=0.9,confidence=0.95,method=exact,bounds=default",
                "optscale0:n=8,peek=3,target=0.95,confidence=0.99,method=exact,bounds=default",
                "optscale0:n=8,peek=3,target=0.95,confidence=0.95,method=exact,bounds=default"}));
}

TEST(MakeStrategies, CanonicalSpecsRoundTrip) {
  for (const std::string& name : strategy_names()) {
    const std::string first = make_strategies(name + ":n=16")[0]->spec();
    EXPECT_EQ(make_strategies(first)[0]->spec(), first) << name;
    EXPECT_EQ(make_strategies(first)[0]->budget(), 16) << name;
  }
}

TEST(MakeStrategies, DefaultPeekFollowsTheReferenceTable) {
  EXPECT_THAT(specs_of("optscale0:n=8")[0], HasSubstr("peek=3,"));
  EXPECT_THAT(specs_of("optscale0:n=16")[0], HasSubstr("peek=5,"));
  EXPECT_THAT(specs_of("optscale0:n=32")[0], HasSubstr("peek=10,"));
  EXPECT_THAT(specs_of("optscale0:n=64")[0], HasSubstr("peek=20,"));
  EXPECT_THAT(specs_of("optscale0:n=1")[0], HasSubstr("peek=1,"));
  EXPECT_THAT(specs_of("optscale0:n=128")[0], HasSubstr("peek=40,"));
}

TEST(MakeStrategies, ErrorsNameTheProblem) {
  const auto error = [](const std::string& spec) { return error_message([&] { make_strategies(spec); }); };
  EXPECT_THAT(error("best:n=8"), HasSubstr("unknown strategy 'best' (known: bon, sc, wsc, esc, asc, "
                                            "dsc, optscale0, optscalet, optscale-seq, hybrid)"));
  EXPECT_THAT(error("bon:n=8,target=0.9"), HasSubstr("unknown key 'target' for bon (known keys: n)"));
  EXPECT_THAT(error("optscale0:n=8,taget=0.9"), HasSubstr("unknown key 'taget'"));
  EXPECT_THAT(error("bon"), HasSubstr("missing required key 'n'"));
  EXPECT_THAT(error("bon:n=0"), HasSubstr("key 'n': expected an integer in [1, 100000], got '0'"));
  EXPECT_THAT(error("bon:n=16.5"), HasSubstr("key 'n': expected an integer"));
  EXPECT_THAT(error("bon:n=abc"), HasSubstr("key 'n'"));
  EXPECT_THAT(error("optscale0:n=8,target=high"), HasSubstr("key 'target': expected a number in [0, 1], got 'high'"));
  EXPECT_THAT(error("optscale0:n=8,target=1.5"), HasSubstr("key 'target'"));
  EXPECT_THAT(error("optscale0:n=8,target=nan"), HasSubstr("key 'target'"));
  EXPECT_THAT(error("optscale0:n=8,confidence=1"), HasSubstr("key 'confidence': expected a number in (0, 1)"));
  EXPECT_THAT(error("optscale0:n=8,delta=0"), HasSubstr("key 'delta'"));
  // 1 - 5e-36 is 1 in double precision: a confidence the canonical spec could
  // not write back (found by the strategy_spec fuzz target).
  EXPECT_THAT(error("optscale0:n=8,delta=5e-36"), HasSubstr("key 'delta'"));
  EXPECT_NO_THROW(policy::make_strategies("optscale0:n=8,delta=1e-15"));
  EXPECT_THAT(error("optscale0:n=8,delta=0.05,confidence=0.95"), HasSubstr("not both"));
  EXPECT_THAT(error("optscale0:n=8,peek=9"), HasSubstr("key 'peek': must not exceed the budget n=8"));
  EXPECT_THAT(error("optscale0:n=8,method=fast"), HasSubstr("key 'method': expected one of exact|grid, got 'fast'"));
  EXPECT_THAT(error("optscale0:n=8,bounds=none"), HasSubstr("key 'bounds'"));
  EXPECT_THAT(error("optscalet:n=8,prior_std=-1"), HasSubstr("key 'prior_std': expected a number > 0 or 'predictor'"));
  EXPECT_THAT(error("optscale-seq:n=8,futility=1"), HasSubstr("key 'futility'"));
  EXPECT_THAT(error("optscale-seq:n=8,batch=0"), HasSubstr("key 'batch'"));
  EXPECT_THAT(error("optscale-seq:n=8,prior=yes"), HasSubstr("key 'prior'"));
  EXPECT_THAT(error("sc:n=8,none_votes=2"), HasSubstr("key 'none_votes'"));
  EXPECT_THAT(error("asc:n=8,threshold=0.5"), HasSubstr("key 'threshold': expected a number in (0.5, 1)"));
  EXPECT_THAT(error("dsc:n=4"), HasSubstr("key 'window': the probe of 5 samples must fit in the budget n=4"));
  EXPECT_THAT(error("dsc:n=8,difficulty=oracle"), HasSubstr("key 'difficulty'"));
  // An error inside a sweep names the expanded combination.
  EXPECT_THAT(error("optscale0:n=8,target=0.9|2"), HasSubstr("strategy spec 'optscale0:n=8,target=2'"));
}

TEST(MakeStrategy, RefusesAnUnexpandedList) {
  EXPECT_THAT(error_message([] { make_strategy(parse_spec("bon:n=8|16")); }), HasSubstr("expand_spec"));
}

}  // namespace
}  // namespace optscale::policy
