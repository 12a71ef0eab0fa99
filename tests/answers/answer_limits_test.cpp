// Hostile and degenerate answers (issue 11): deep \sqrt and \frac chains,
// factorial chains, long flat sums, pool answers nested 50,000 deep, and
// completions full of unclosed boxes. None may overflow the stack; what is too
// deep to read is compared as text and says so; sums of thousands of terms are
// still evaluated.
#include <gtest/gtest.h>

#include <string>

#include "optscale/answers/answer_classes.hpp"
#include "optscale/answers/answers.hpp"

namespace optscale::answers {
namespace {

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

std::string nested(const std::string& open, const std::string& inner, const std::string& close, std::size_t depth) {
  return repeat(open, depth) + inner + repeat(close, depth);
}

TEST(AnswerLimits, DeepSqrtChainsAreComparedAsTextAndSaySo) {
  for (std::size_t depth : {1000u, 50000u}) {
    const std::string braced = nested("\\sqrt{", "2", "}", depth);
    const std::string bare = repeat("\\sqrt", depth) + " 2";
    for (const std::string& answer : {braced, bare}) {
      EXPECT_TRUE(answers_equivalent(answer, answer));  // the same text
      EXPECT_FALSE(answers_equivalent(answer, "2"));
      ASSERT_TRUE(answer_depth_note(answer).has_value()) << depth;
      EXPECT_NE(answer_depth_note(answer)->find("compared as normalised text"), std::string::npos);
      EXPECT_FALSE(canonical_key(answer).empty());
    }
  }
  // Shallow nesting is still mathematics.
  EXPECT_TRUE(answers_equivalent(nested("\\sqrt{", "16", "}", 2), "2"));
  EXPECT_FALSE(answer_depth_note(nested("\\sqrt{", "16", "}", 2)).has_value());
  EXPECT_FALSE(answer_depth_note("\\frac{1}{2}").has_value());
}

TEST(AnswerLimits, FracChainsAndDeepGroups) {
  const std::string fracs = repeat("\\frac1", 20000) + "2";
  const std::string braced_fracs = nested("\\frac{1}{", "2", "}", 20000);
  const std::string parens = nested("(", "1", ")", 50000);
  const std::string signs = repeat("-", 50000) + "1";
  const std::string powers = repeat("2^{", 20000) + "1" + repeat("}", 20000);
  for (const std::string& answer : {fracs, braced_fracs, parens, signs, powers}) {
    EXPECT_TRUE(answers_equivalent(answer, answer));
    EXPECT_FALSE(answers_equivalent(answer, "7"));
    EXPECT_TRUE(answer_depth_note(answer).has_value()) << answer.substr(0, 20);
  }
  EXPECT_TRUE(answers_equivalent("\\frac1{\\frac1{\\frac12}}", "\\frac12"));
}

TEST(AnswerLimits, LongFlatSumsAndFactorialChainsAreEvaluatedWithoutRecursion) {
  // 5,000 terms: read and evaluated (the evaluator walks the nodes in order).
  const std::string sum = "1" + repeat("+1", 4999);
  EXPECT_TRUE(answers_equivalent(sum, "5000"));
  EXPECT_FALSE(answer_depth_note(sum).has_value());
  const std::string products = "2" + repeat("\\cdot 1", 20000);
  EXPECT_TRUE(answers_equivalent(products, "2"));
  // 3!! = 720; a chain of 20,000 factorials has no finite value: text compare.
  EXPECT_TRUE(answers_equivalent("3!!", "720"));
  const std::string factorials = "3" + repeat("!", 20000);
  EXPECT_TRUE(answers_equivalent(factorials, factorials));
  EXPECT_FALSE(answers_equivalent(factorials, "720"));
}

TEST(AnswerLimits, PoolAnswersNested50000DeepGroupIntoClasses) {
  // What `pool stats` does with a problem's answers: classes by equivalence.
  const std::vector<std::string> answers = {nested("\\sqrt{", "2", "}", 50000), nested("{", "1", "}", 50000),
                                            nested("\\{", "1", "\\}", 50000), nested("(", "1,", ")", 20000), "1",
                                            nested("\\sqrt{", "2", "}", 50000)};
  AnswerClasses grouping;
  for (const std::string& answer : answers) grouping.add(answer);
  const std::vector<int> classes = grouping.classes();
  ASSERT_EQ(classes.size(), answers.size());
  EXPECT_EQ(classes[0], classes[5]);
  EXPECT_NE(classes[0], classes[4]);
}

TEST(AnswerLimits, LastBoxIsFoundPastThousandsOfUnclosedBoxes) {
  // 30 KB of unclosed boxes: none is an answer, the search stays linear
  // (one pass for all brace pairs; it was one scan to the end per box).
  const std::string unclosed = repeat("\\boxed{", 4300);
  EXPECT_EQ(unclosed.size(), 30100u);
  EXPECT_FALSE(last_boxed(unclosed).has_value());
  EXPECT_EQ(last_boxed("\\boxed{7} then " + unclosed), "7");
  EXPECT_EQ(last_boxed(unclosed + "\\boxed{9}"), "9");  // its '}' closes its own '{'
  EXPECT_EQ(last_boxed("\\boxed{3}" + repeat("x \\boxed{", 3000)), "3");
  // Boxes nested 3,000 deep that do close: the outermost is the answer.
  EXPECT_EQ(last_boxed(repeat("\\boxed{", 3000) + "5" + repeat("}", 3000)),
            repeat("\\boxed{", 2999) + "5" + repeat("}", 2999));
  // Escaped braces do not count; a run of backslashes is read in one pass.
  EXPECT_EQ(last_boxed("\\boxed{\\{1\\}}"), "\\{1\\}");
  EXPECT_EQ(last_boxed("\\boxed{a\\\\}b}"), "a\\\\");
  EXPECT_EQ(last_boxed("\\boxed{" + std::string(20000, '\\') + "{}"), std::nullopt);
}

}  // namespace
}  // namespace optscale::answers
