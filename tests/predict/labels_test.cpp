#include "optscale/predict/labels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::predict {
namespace {

using optscale::testing::error_message;

std::filesystem::path fixture(const std::string& name) {
  return optscale::testing::test_data_dir() / "predictor" / name;
}

TEST(ReadLabels, JsonlWithIdsAndBlankLines) {
  const auto labels = read_labels(fixture("labels.jsonl"));
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0].id, "a");
  EXPECT_EQ(labels[0].problem, "What is $1+1$?");
  EXPECT_DOUBLE_EQ(labels[1].mu, 0.91);
  EXPECT_EQ(labels[1].id, "");
  EXPECT_EQ(labels[2].id, "7");  // a numeric id is kept as written
  EXPECT_DOUBLE_EQ(labels[2].sigma, 0.0);
}

TEST(ReadLabels, PairFormatJoinsTheParallelProblemsList) {
  const auto labels = read_labels(fixture("mu_sigma.json"), fixture("problems.json"));
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0].id, "test/algebra/1.json");
  EXPECT_EQ(labels[1].problem, "Tom has 3 apples and buys 2 more. How many apples does he have?");
  EXPECT_EQ(labels[2].problem, "Compute $2^{10}$.");
  EXPECT_DOUBLE_EQ(labels[2].mu, 0.85);
  EXPECT_DOUBLE_EQ(labels[2].sigma, 0.1);
}

TEST(ReadLabels, ErrorsNameFileAndLine) {
  EXPECT_NE(error_message([] { read_labels(fixture("malformed.jsonl")); }).find("malformed.jsonl:2"),
            std::string::npos);
  EXPECT_NE(error_message([] { read_labels(fixture("negative_sigma.jsonl")); }).find("negative_sigma.jsonl:2"),
            std::string::npos);
  // A [mean, std] list needs its problems, and the two must have one entry each.
  EXPECT_NE(error_message([] { read_labels(fixture("mu_sigma.json")); }).find("--problems"), std::string::npos);
  EXPECT_THROW(read_labels(fixture("does_not_exist.jsonl")), Error);
}

TEST(ReadLabels, CountMismatchIsAnError) {
  const auto dir = optscale::testing::make_temp_dir("labels");
  std::ofstream(dir / "two.json") << "[[0.9, 0.1], [0.8, 0.2]]";
  EXPECT_NE(error_message([&] { read_labels(dir / "two.json", fixture("problems.json")); }).find("2 labels for 3 problems"),
            std::string::npos);
  std::ofstream(dir / "bad_pair.json") << "[[0.9, 0.1], [0.8], [0.7, 0.1]]";
  EXPECT_NE(error_message([&] { read_labels(dir / "bad_pair.json", fixture("problems.json")); }).find("item 1"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ReadProblems, ListAndJsonl) {
  const auto list = read_problems(fixture("problems.json"));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, "test/algebra/1.json");
  const auto jsonl = read_problems(fixture("labels.jsonl"));
  ASSERT_EQ(jsonl.size(), 3u);
  EXPECT_EQ(jsonl[1].problem, "Find all real $x$ with $x^2 = 4$.");
}

TEST(WriteLabels, RoundTripsThroughJsonl) {
  const auto dir = optscale::testing::make_temp_dir("labels");
  const auto labels = read_labels(fixture("mu_sigma.json"), fixture("problems.json"));
  write_labels_jsonl(labels, dir / "out.jsonl");
  const auto back = read_labels(dir / "out.jsonl");
  ASSERT_EQ(back.size(), labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    EXPECT_EQ(back[i].problem, labels[i].problem);
    EXPECT_EQ(back[i].id, labels[i].id);
    EXPECT_EQ(back[i].mu, labels[i].mu);
    EXPECT_EQ(back[i].sigma, labels[i].sigma);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optscale::predict
