// NumberedStream: every prefix is numbered as that prefix alone numbers it,
// checked against a fresh AnswerClasses per prefix over every draw order of
// answers whose equivalence is not transitive.
#include "optscale/policy/numbered_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "optscale/answers/answer_classes.hpp"
#include "policy_test_util.hpp"

namespace optscale::policy {
namespace {

using Answers = std::vector<std::optional<std::string>>;

std::vector<int> classes_of(std::span<const Observation> observations) {
  std::vector<int> out;
  for (const Observation& o : observations) out.push_back(o.answer_class);
  return out;
}

TEST(NumberedStream, EveryPrefixOfEveryOrderIsNumberedAsThatPrefixAlone) {
  // 1.414213 and 1.414214 differ, \sqrt{2} is equivalent to both; the same
  // with two spellings of pi; 7 and "no answer" stay apart.
  const Answers answers{"1.414213", "1.414214", "\\sqrt{2}", "7", std::nullopt, "3.14159265", "3.1415926535", "\\pi"};
  answers::AnswerTable table;
  std::vector<int> order(answers.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(7);
  std::size_t merged = 0;
  for (int orders = 0; orders < 300; ++orders) {
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<Observation> observations;
    std::vector<int> ids;
    for (int i : order) {
      observations.push_back(testing::obs(0.1 * i, 99, i));
      ids.push_back(table.intern(answers[static_cast<std::size_t>(i)]));
    }
    const NumberedStream stream = NumberedStream::number(observations, ids, table);
    ASSERT_EQ(stream.size(), answers.size());
    for (std::size_t k = 0; k <= answers.size(); ++k) {
      answers::AnswerClasses alone;
      for (std::size_t j = 0; j < k; ++j) alone.add(answers[static_cast<std::size_t>(order[j])]);
      const auto prefix = stream.prefix(k);
      ASSERT_EQ(classes_of(prefix), alone.classes()) << "prefix " << k << " of order " << orders;
      for (std::size_t j = 0; j < k; ++j) EXPECT_EQ(prefix[j].tokens, order[j]);
    }
    merged += stream.epochs() > 1 ? 1 : 0;
  }
  EXPECT_GT(merged, 0u);  // the orders do contain merges
}

TEST(NumberedStream, AHandNumberedListIsEveryPrefixsNumbering) {
  const std::vector<Observation> list = testing::answers({0, 1, 0, -1});
  const NumberedStream copied = NumberedStream::as_numbered(list);
  const NumberedStream borrowed = NumberedStream::borrowing(list);
  EXPECT_EQ(classes_of(copied.prefix(3)), (std::vector<int>{0, 1, 0}));
  EXPECT_EQ(classes_of(borrowed.prefix(4)), (std::vector<int>{0, 1, 0, -1}));
  EXPECT_EQ(copied.size(), 4u);
  EXPECT_EQ(borrowed.epochs(), 1u);
}

}  // namespace
}  // namespace optscale::policy
