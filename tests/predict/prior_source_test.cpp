// predict::resolve_priors: the one resolution of a spec's predictor=PATH /
// priors=PATH (and of `optscale run --predictor / --priors`) into one
// prediction per problem, with the errors the runners rely on.
#include "optscale/predict/prior_source.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "optscale/predict/model_predictor.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::predict {
namespace {

using Kind = PriorSource::Kind;

std::filesystem::path fixture(const std::string& name) {
  return optscale::testing::test_data_dir() / "predictor" / name;
}

std::string error_of(const PriorSource& source, std::span<const ProblemRef> problems) {
  return testing::error_message([&] { resolve_priors(source, problems); });
}

const std::vector<ProblemRef> kThree{{"What is $2+3$?", "a"}, {"Find all real $x$ with $x^2=4$.", "b"},
                                     {"Compute $\\binom{10}{3}$.", "c"}};

TEST(PriorSource, KeyIsHowTheSpecWritesIt) {
  EXPECT_EQ((PriorSource{Kind::model, "m.json"}.key()), "predictor=m.json");
  EXPECT_EQ((PriorSource{Kind::priors_file, "p.json"}.key()), "priors=p.json");
  EXPECT_EQ(prior_file(PriorSource{Kind::model, "default"}), default_model_path());
  EXPECT_EQ(prior_file(PriorSource{Kind::priors_file, "default"}), std::filesystem::path("default"));
  const PriorSource model{Kind::model, "m.json"};
  EXPECT_TRUE(model.has_key("predictor=m.json"));
  EXPECT_FALSE(model.has_key("priors=m.json"));
  EXPECT_FALSE(model.has_key("predictor=m.json2"));
  EXPECT_FALSE(model.has_key("predictor=xm.json"));
  EXPECT_FALSE(model.has_key(""));
}

TEST(PriorSource, ModelPredictsFromTheTextWithItsLearnedUncertainty) {
  const auto resolved = resolve_priors({Kind::model, default_model_path().string()}, kThree);
  const auto direct = ModelPredictor::load(default_model_path()).predict_all(kThree);
  ASSERT_EQ(resolved.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(resolved[i].mu, direct[i].mu);
    EXPECT_EQ(resolved[i].sigma, direct[i].sigma);
    EXPECT_EQ(resolved[i].mu_std, direct[i].mu_std);
    EXPECT_NE(resolved[i].mu_std, kParityPriorStd);  // cross-validated, not the paper's 0.1
    EXPECT_GT(resolved[i].sigma_std, 0.0);
  }
  const auto by_default = resolve_priors({Kind::model, "default"}, kThree);
  EXPECT_EQ(by_default[1].mu, direct[1].mu);
}

TEST(PriorSource, ModelNeedsEveryProblemsText) {
  const std::vector<ProblemRef> textless{{"What is $2+3$?", "a"}, {"", "no-text"}};
  const std::string e = error_of({Kind::model, "default"}, textless);
  EXPECT_NE(e.find("predictor=default"), std::string::npos) << e;
  EXPECT_NE(e.find("problem 'no-text' (#2) has no text"), std::string::npos) << e;
}

TEST(PriorSource, MissingFilesAreNamed) {
  const std::string model = error_of({Kind::model, "/nonexistent/model.json"}, kThree);
  EXPECT_NE(model.find("predictor=/nonexistent/model.json"), std::string::npos) << model;
  EXPECT_NE(model.find("does not exist"), std::string::npos) << model;
  const std::string priors = error_of({Kind::priors_file, "/nonexistent/priors.json"}, kThree);
  EXPECT_NE(priors.find("priors=/nonexistent/priors.json"), std::string::npos) << priors;
  EXPECT_NE(error_of({Kind::priors_file, ""}, kThree).find("names no file"), std::string::npos);
}

TEST(PriorSource, ListMatchesByPositionWithTheParityStd) {
  const auto resolved = resolve_priors({Kind::priors_file, fixture("priors_list.json").string()}, kThree);
  ASSERT_EQ(resolved.size(), 3u);
  EXPECT_EQ(resolved[0].mu, 0.6);
  EXPECT_EQ(resolved[1].sigma, -0.02);  // as written (the paper's files have negative sigmas)
  EXPECT_EQ(resolved[2].mu, 0.7);
  EXPECT_EQ(resolved[2].mu_std, kParityPriorStd);
  EXPECT_EQ(resolved[2].sigma_std, kParityPriorStd);
}

TEST(PriorSource, ListOfAnotherLengthIsAnError) {
  const std::vector<ProblemRef> two(kThree.begin(), kThree.begin() + 2);
  const std::string fewer = error_of({Kind::priors_file, fixture("priors_list.json").string()}, two);
  EXPECT_NE(fewer.find("3 priors in the list for 2 problems"), std::string::npos) << fewer;
  std::vector<ProblemRef> four = kThree;
  four.push_back({"One more?", "d"});
  const std::string more = error_of({Kind::priors_file, fixture("priors_list.json").string()}, four);
  EXPECT_NE(more.find("3 priors in the list for 4 problems"), std::string::npos) << more;
}

TEST(PriorSource, MapMatchesByIdAndRejectsUnknownOrMissingIds) {
  const std::vector<ProblemRef> both{{"", "q2"}, {"text", "test/algebra/1.json"}};
  const auto resolved = resolve_priors({Kind::priors_file, fixture("priors_map.json").string()}, both);
  EXPECT_EQ(resolved[0].mu, 0.5);
  EXPECT_EQ(resolved[1].mu, 0.61);

  const std::vector<ProblemRef> one{{"", "q2"}};
  const std::string unknown = error_of({Kind::priors_file, fixture("priors_map.json").string()}, one);
  EXPECT_NE(unknown.find("'test/algebra/1.json' is not the id of any of the 1 problems"), std::string::npos)
      << unknown;
  const std::vector<ProblemRef> extra{{"", "q2"}, {"", "test/algebra/1.json"}, {"", "q3"}};
  const std::string missing = error_of({Kind::priors_file, fixture("priors_map.json").string()}, extra);
  EXPECT_NE(missing.find("no prior for problem id 'q3'"), std::string::npos) << missing;
}

TEST(PriorSource, MalformedPriorsFilesAreErrorsNamingTheFile) {
  const auto dir = optscale::testing::make_temp_dir("prior-source");
  std::ofstream(dir / "bad.json") << "[[0.6, 0.1], [0.5], [0.7, 0.1]]";
  const std::string e = error_of({Kind::priors_file, (dir / "bad.json").string()}, kThree);
  EXPECT_NE(e.find((dir / "bad.json").string()), std::string::npos) << e;
  EXPECT_NE(e.find("expected [mu, sigma]"), std::string::npos) << e;
  std::filesystem::remove_all(dir);
}

TEST(PriorSource, PredictPriorsRejectsAPredictorThatLosesProblems) {
  class Short final : public Predictor {
   public:
    Prediction predict(const ProblemRef&) const override { return {}; }
    std::vector<Prediction> predict_all(std::span<const ProblemRef>) const override { return {Prediction{}}; }
    std::string describe() const override { return "short predictor"; }
  };
  try {
    predict_priors(Short{}, kThree);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("short predictor: 1 predictions for 3 problems"), std::string::npos);
  }
}

}  // namespace
}  // namespace optscale::predict
