// Problem files and priors files: what is accepted and the errors for what
// is not.
#include "optscale/engine/problems.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "optscale/engine/priors.hpp"
#include "optscale/engine/progress.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::engine {
namespace {

struct TempFile {
  explicit TempFile(const std::string& content)
      : dir(testing::make_temp_dir("optscale-problems")), path(dir / "file") {
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove_all(dir); }
  std::filesystem::path dir, path;
};

std::string error_of(const std::string& content) {
  TempFile file(content);
  return testing::error_message([&] { read_problems(file.path); });
}

TEST(Problems, ReadsIdsTextsGoldAndPriorsAndIgnoresPoolFields) {
  TempFile file(
      "{\"id\":\"a\",\"problem\":\"1+1?\",\"gold\":\"2\"}\n"
      "\n"
      "{\"id\":7,\"problem\":\"x?\",\"gold\":3.5,\"prior\":[0.9,0.05],\"samples\":[{\"score\":0.5,\"tokens\":1}]}\n"
      "{\"id\":\"c\",\"problem\":\"y?\"}\n");
  auto problems = read_problems(file.path);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].gold, "2");
  EXPECT_EQ(problems[1].id, "7");
  EXPECT_EQ(problems[1].gold, "3.5");
  EXPECT_EQ(problems[1].prior, (std::array<double, 2>{0.9, 0.05}));
  EXPECT_FALSE(problems[2].gold);
}

TEST(Problems, ErrorsNameTheLineAndField) {
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\"}\n{bad\n").find(":2: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"problem\":\"p\"}\n").find(":1: missing 'id'"), std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"\"}\n").find("'problem' is empty"), std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\"}\n{\"id\":\"a\",\"problem\":\"q\"}\n").find("duplicate id 'a'"),
            std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"gold\":[1]}\n").find("'gold'"), std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"prior\":[1]}\n").find("'prior'"), std::string::npos);
  EXPECT_NE(error_of("[1]\n").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(error_of("\n").find("no problems"), std::string::npos);
  EXPECT_THROW(read_problems("/nonexistent/problems.jsonl"), Error);
}

// The fast reader (simdjson) takes what the nlohmann one took, as it took it,
// and leaves every error to it: the same values and messages as before.
TEST(Problems, ReadsEveryFieldFormAsBeforeAndKeepsTheMessages) {
  TempFile file(
      "{\"id\":18446744073709551615,\"problem\":\"p\",\"gold\":12345678901234567890123,\"prior\":[1,0.5]}\r\n"
      "{\"id\":-7,\"problem\":\"q\",\"gold\":-0,\"prior\":null}\n"
      "{\"id\":\"a\",\"problem\":\"r\",\"gold\":\"x\",\"gold\":null,\"prior\":[0.5,1],\"prior\":[0.25,2]}\n"
      "{\"id\":\"b\",\"problem\":\"caf\\u00e9\",\"samples\":[{\"text\":\"\\\\boxed{1}\",\"score\":1,\"tokens\":2}],"
      "\"extra\":[[[{\"deep\":true}]]]}\n"
      "{\"id\":\"c\",\"problem\":\"s\",\"gold\":7}");
  const auto problems = read_problems(file.path);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_EQ(problems[0].id, "18446744073709551615");
  EXPECT_EQ(problems[0].gold, "1.2345678901234568e+22");
  EXPECT_EQ(problems[0].prior, (std::array<double, 2>{1.0, 0.5}));
  EXPECT_EQ(problems[1].id, "-7");
  EXPECT_EQ(problems[1].gold, "0");
  EXPECT_FALSE(problems[1].prior);
  EXPECT_FALSE(problems[2].gold);
  EXPECT_EQ(problems[2].prior, (std::array<double, 2>{0.25, 2.0}));
  EXPECT_EQ(problems[3].text, "caf\xc3\xa9");
  EXPECT_EQ(problems[4].gold, "7");

  const std::string deep = std::string(300, '[') + std::string(300, ']');
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"x\":" + deep + "}\n").find(":1: nested deeper than the limit of 256"),
            std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"x\":1e400}\n").find(":1: `x`: the number 1e400 is outside the range"),
            std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"x\":\"a\tb\"}\n").find(":1: not valid JSON ("), std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"x\":NaN}\n").find(":1: not valid JSON ("), std::string::npos);
  EXPECT_NE(error_of("{\"id\":1.5,\"problem\":\"p\"}\n").find(":1: 'id' must be a string or an integer of at most 64 bits, got 1.5"),
            std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"\",\"problem\":\"p\"}\n").find(":1: 'id' is empty"), std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\",\"prior\":[1,\"x\"]}\n").find(":1: 'prior' must be [mu, sigma]"),
            std::string::npos);
  EXPECT_NE(error_of("{\"id\":\"a\",\"problem\":\"p\"}\n{\"id\":\"a\",\"problem\":\"\"}\n").find(":2: duplicate id 'a'"),
            std::string::npos);
}

TEST(Priors, ListInOrderOrObjectById) {
  std::vector<Problem> problems{{"a", "p", {}, {}, {}, {}}, {"b", "q", {}, {}, {}, {}}};
  {
    TempFile list("[[0.5, 0.1], [0.7, -0.02]]");
    apply_priors(list.path, problems);
    EXPECT_EQ(problems[1].prior, (std::array<double, 2>{0.7, -0.02}));
  }
  {
    TempFile object("{\"b\": [0.2, 0.3], \"a\": [0.4, 0.5]}");
    apply_priors(object.path, problems);
    EXPECT_EQ(problems[0].prior, (std::array<double, 2>{0.4, 0.5}));
  }
  TempFile short_list("[[0.5, 0.1]]");
  EXPECT_THROW(apply_priors(short_list.path, problems), Error);
  TempFile unknown("{\"a\": [0.2, 0.3], \"z\": [0.4, 0.5]}");
  EXPECT_THROW(apply_priors(unknown.path, problems), Error);
  TempFile missing("{\"a\": [0.2, 0.3]}");
  EXPECT_THROW(apply_priors(missing.path, problems), Error);
  TempFile bad("[[0.5], [0.1, 0.2]]");
  EXPECT_THROW(apply_priors(bad.path, problems), Error);
}

TEST(Priors, FromTheShippedPredictorWithItsUncertainty) {
  std::vector<Problem> problems{{"a", "What is the smallest prime greater than 100?", {}, {}, {}, {}},
                                {"b", "Find all real x with x^4 - 5x^2 + 4 = 0.", {}, {{0.1, 0.2}}, {}, {}}};
  apply_predictor(predict::ModelPredictor::load(predict::default_model_path()), problems);
  for (const Problem& p : problems) {
    ASSERT_TRUE(p.prior && p.prior_std) << p.id;
    EXPECT_GT((*p.prior)[0], 0.5);
    EXPECT_LT((*p.prior)[0], 1.2);
    EXPECT_GT((*p.prior_std)[0], 0.0);
  }
  EXPECT_NE((*problems[1].prior)[0], 0.1);  // replaced
  EXPECT_NE(problems[0].prior, problems[1].prior);
}

TEST(Progress, FormatsCountsAccuracyRateAndEta) {
  ProgressSnapshot p;
  p.done = 50;
  p.total = 200;
  p.samples = 400;
  p.tokens = 1234567;
  p.graded = 50;
  p.correct = 45;
  p.drawn = 400;
  EXPECT_EQ(format_progress(p, 20.0),
            "50/200 problems | 400 samples | 1.23M tokens | acc 90.0% (50) | 20.0 samples/s | ETA 1m00s");
  p.done = 200;
  p.graded = 0;
  EXPECT_EQ(format_progress(p, 3723.0), "200/200 problems | 400 samples | 1.23M tokens | 0.1 samples/s | 1h02m");
}

}  // namespace
}  // namespace optscale::engine
