// Final-answer extraction: the last top-level balanced \boxed{} (paper-spec
// §4), GSM8K "#### n", and the conservative phrase fallback.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "optscale/answers/answers.hpp"

namespace optscale::answers {
namespace {

TEST(LastBoxed, SimpleBox) { EXPECT_EQ(last_boxed("so the answer is \\boxed{42}."), "42"); }

TEST(LastBoxed, NestedBracesAreKept) {
  EXPECT_EQ(last_boxed("\\boxed{\\frac{1}{2}}"), "\\frac{1}{2}");
  EXPECT_EQ(last_boxed("$\\boxed{\\left(\\frac{3}{2}, -13\\right)}$"), "\\left(\\frac{3}{2}, -13\\right)");
  EXPECT_EQ(last_boxed("\\boxed{a{b{c}}d}"), "a{b{c}}d");
}

TEST(LastBoxed, TheLastOfSeveralBoxesWins) {
  EXPECT_EQ(last_boxed("first \\boxed{1}, then \\boxed{2}, finally \\boxed{3} done"), "3");
}

TEST(LastBoxed, OnlyTopLevelBoxesCount) {
  // The inner box is part of the outer box's content, not a later answer.
  EXPECT_EQ(last_boxed("\\boxed{\\boxed{3}}"), "\\boxed{3}");
  EXPECT_EQ(last_boxed("\\boxed{1} and \\boxed{x + \\boxed{2}}"), "x + \\boxed{2}");
}

TEST(LastBoxed, FboxCounts) {
  EXPECT_EQ(last_boxed("\\fbox{7}"), "7");
  EXPECT_EQ(last_boxed("\\boxed{1} then \\fbox{7}"), "7");
  EXPECT_EQ(last_boxed("\\fbox{7} then \\boxed{1}"), "1");
}

TEST(LastBoxed, SpaceTokenForm) {
  EXPECT_EQ(last_boxed("The answer is \\boxed 5."), "5");
  EXPECT_EQ(last_boxed("$\\boxed 12$ is it"), "12");
}

TEST(LastBoxed, SpaceBeforeTheBraceIsAllowed) { EXPECT_EQ(last_boxed("\\boxed {12}"), "12"); }

TEST(LastBoxed, EscapedBracesDoNotUnbalance) {
  EXPECT_EQ(last_boxed("\\boxed{\\{1,2\\}}"), "\\{1,2\\}");
  EXPECT_EQ(last_boxed("\\boxed{\\left\\{ 3 \\right.}"), "\\left\\{ 3 \\right.");
}

TEST(LastBoxed, NoBox) {
  EXPECT_EQ(last_boxed("no box here"), std::nullopt);
  EXPECT_EQ(last_boxed(""), std::nullopt);
  EXPECT_EQ(last_boxed("\\boxedx{3}"), std::nullopt) << "\\boxedx is another command";
}

TEST(LastBoxed, UnbalancedBoxIsIgnored) {
  // A completion cut off inside its last box: the earlier complete box stands.
  EXPECT_EQ(last_boxed("\\boxed{3} ... \\boxed{4"), "3");
  EXPECT_EQ(last_boxed("\\boxed{\\frac{1}{2}"), std::nullopt);
  EXPECT_EQ(last_boxed("\\boxed"), std::nullopt);
}

TEST(LastBoxed, EmptyBoxIsTheEchoedInstructionNotAnAnswer) {
  EXPECT_EQ(last_boxed("I will put the final answer within \\boxed{}."), std::nullopt);
  EXPECT_EQ(last_boxed("\\boxed{5}. Remember to use \\boxed{ }."), "5");
}

TEST(ExtractAnswer, PrefersTheBox) {
  EXPECT_EQ(extract_answer("The answer is 7. So \\boxed{8}"), "8");
  EXPECT_EQ(extract_answer("#### 12\n\\boxed{13}"), "13");
}

TEST(ExtractAnswer, FallsBackToHashes) { EXPECT_EQ(extract_answer("so 3+4 = 7\n#### 7"), "7"); }

TEST(ExtractAnswer, FallbackPhrases) {
  EXPECT_EQ(extract_answer("The answer is $\\frac{3}{4}$."), "\\frac{3}{4}");
  EXPECT_EQ(extract_answer("Thus the final answer is 42. Done."), "42");
  EXPECT_EQ(extract_answer("Final Answer: (B)"), "(B)");
  EXPECT_EQ(extract_answer("**Final Answer:** 12\n"), "12");
  EXPECT_EQ(extract_answer("the answer is \\(2\\sqrt{3}\\) units"), "2\\sqrt{3}");
  EXPECT_EQ(extract_answer("So the answer is 3.5"), "3.5") << "a decimal point does not end the sentence";
  EXPECT_EQ(extract_answer("the answer is 5 cm."), "5 cm");
}

TEST(ExtractAnswer, TheLastPhraseWins) {
  EXPECT_EQ(extract_answer("At first the answer is 3. Checking again, the answer is 4."), "4");
}

TEST(ExtractAnswer, FallbackIsConservative) {
  EXPECT_EQ(extract_answer("the answer is probably 5"), std::nullopt) << "prose, not an answer";
  EXPECT_EQ(extract_answer("the answer is yes"), std::nullopt) << "no number, no math, no choice letter";
  EXPECT_EQ(extract_answer("the answer is not obvious"), std::nullopt);
  EXPECT_EQ(extract_answer("the answer is " + std::string(100, '1')), std::nullopt) << "too long";
  EXPECT_EQ(extract_answer("Let me think about this problem."), std::nullopt);
  EXPECT_EQ(extract_answer(""), std::nullopt);
}

TEST(ExtractAnswer, PhraseIsCaseInsensitive) { EXPECT_EQ(extract_answer("THE ANSWER IS 9"), "9"); }

TEST(LastBoxed, IgnoresThePhraseFallback) {
  EXPECT_EQ(last_boxed("the answer is 5"), std::nullopt);
  EXPECT_EQ(extract_answer("the answer is 5"), "5");
}

TEST(ExtractGsm8kGold, NumberAfterHashes) {
  EXPECT_EQ(extract_gsm8k_gold("She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18"), "18");
}

TEST(ExtractGsm8kGold, CommasAreRemoved) {
  EXPECT_EQ(extract_gsm8k_gold("...\n#### 1,234"), "1234");
  EXPECT_EQ(extract_gsm8k_gold("...\n#### 1,000,000"), "1000000");
}

TEST(ExtractGsm8kGold, NegativeAndDecimal) {
  EXPECT_EQ(extract_gsm8k_gold("#### -5"), "-5");
  EXPECT_EQ(extract_gsm8k_gold("#### 2.5"), "2.5");
  EXPECT_EQ(extract_gsm8k_gold("#### $30"), "30") << "a currency sign is not part of the number";
}

TEST(ExtractGsm8kGold, OnlyTheRestOfTheLine) { EXPECT_EQ(extract_gsm8k_gold("#### 42\nmore text"), "42"); }

TEST(ExtractGsm8kGold, TheLastHashesWin) { EXPECT_EQ(extract_gsm8k_gold("#### 1\n#### 2"), "2"); }

TEST(ExtractGsm8kGold, Absent) {
  EXPECT_EQ(extract_gsm8k_gold("no hashes"), std::nullopt);
  EXPECT_EQ(extract_gsm8k_gold("####"), std::nullopt);
  EXPECT_EQ(extract_gsm8k_gold("####   \nnext"), std::nullopt);
}

TEST(Extraction, LongCompletionsAreScannedWhole) {
  std::string text;
  for (int k = 0; k < 2000; ++k) text += "Step: \\frac{a}{b} + \\sqrt{x} = y. ";
  text += "\\boxed{\\dfrac{7}{9}}";
  for (int k = 0; k < 100; ++k) text += " trailing words";
  EXPECT_EQ(extract_answer(text), "\\dfrac{7}{9}");
}

}  // namespace
}  // namespace optscale::answers
