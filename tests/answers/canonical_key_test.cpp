// canonical_key: the grouping key used for voting. Forms that obviously
// normalise the same share a key; different answers never do.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "optscale/answers/answers.hpp"

namespace optscale::answers {
namespace {

void expect_one_key(const std::vector<std::string>& forms) {
  const std::string key = canonical_key(forms.front());
  EXPECT_FALSE(key.empty()) << forms.front();
  for (const std::string& f : forms) EXPECT_EQ(canonical_key(f), key) << "'" << f << "' vs '" << forms.front() << "'";
}

TEST(CanonicalKey, OneHalf) {
  expect_one_key({"\\frac{1}{2}", "\\dfrac12", "0.5", "1/2", "\\tfrac{1}{2}", "0.50", "\\frac{2}{4}", "$\\frac12$",
                  "\\boxed{\\frac{1}{2}}", "\\left(\\frac{1}{2}\\right)"});
}

TEST(CanonicalKey, Integers) {
  expect_one_key({"25", "025", "25.0", "+25", "\\text{25}", "25 \\text{ cm}", "x = 25", "25^\\circ", "\\$25"});
  expect_one_key({"1000", "1,000", "1{,}000", "1\\,000", "1\\!000", "10^3"});
}

TEST(CanonicalKey, ExactRationalsAreReduced) {
  EXPECT_EQ(canonical_key("\\frac{6}{4}"), "3/2");
  EXPECT_EQ(canonical_key("-0.96"), "-24/25");
  EXPECT_EQ(canonical_key("1\\frac{4}{5}"), "9/5");
  EXPECT_EQ(canonical_key("42"), "42");
}

TEST(CanonicalKey, IrrationalsAreRounded) {
  EXPECT_EQ(canonical_key("\\sqrt{2}"), "~1.41421356");
  expect_one_key({"2\\sqrt{3}", "\\sqrt{12}", "2 \\sqrt 3", "\\sqrt{3} \\cdot 2"});
  expect_one_key({"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt3}"});
  expect_one_key({"3\\pi", "\\pi \\times 3", "3 \\pi"});
}

TEST(CanonicalKey, NearIntegersFromFloatingPointKeyAsIntegers) {
  EXPECT_EQ(canonical_key("\\log_2 8"), "3");
  EXPECT_EQ(canonical_key("\\sqrt{2}\\cdot\\sqrt{2}"), "2");
}

TEST(CanonicalKey, PercentKeysAsItsNumber) {
  // 50\% is graded equal to 50 (and to 0.5); for grouping it joins 50.
  EXPECT_EQ(canonical_key("50\\%"), canonical_key("50"));
  EXPECT_NE(canonical_key("50\\%"), canonical_key("0.5"));
}

TEST(CanonicalKey, SetsIgnoreOrderAndRepeats) {
  expect_one_key({"\\{1,2,3\\}", "\\{3,1,2\\}", "3, 2, 1", "1,2,3", "\\{1,1,2,3\\}"});
  expect_one_key({"1 \\pm \\sqrt{2}", "1+\\sqrt2, 1-\\sqrt2", "\\{1-\\sqrt{2},1+\\sqrt{2}\\}"});
  expect_one_key({"\\{5\\}", "5", "5, 5"});
}

TEST(CanonicalKey, TuplesKeepOrderAndBrackets) {
  expect_one_key({"(1,2]", "\\left(1, 2\\right]", "(1.0, \\frac{4}{2}]"});
  EXPECT_NE(canonical_key("(1,2]"), canonical_key("[1,2]"));
  EXPECT_NE(canonical_key("(1,2)"), canonical_key("(2,1)"));
}

TEST(CanonicalKey, ChoicesAndWords) {
  expect_one_key({"(B)", "B", "\\textbf{(B)}", "\\text{(B)}", "B)"});
  expect_one_key({"\\text{Navin}", "Navin", "navin", "\\text{NAVIN}"});
}

TEST(CanonicalKey, ExpressionsWithVariablesKeyByNormalisedText) {
  expect_one_key({"2k+2", "2k + 2", "y = 2k + 2", "\\left(2k+2\\right)"});
  EXPECT_NE(canonical_key("x^2"), canonical_key("x^3"));
  EXPECT_NE(canonical_key("2k"), canonical_key("2m"));
}

TEST(CanonicalKey, LargeAndSmallIrrationalsStayReadable) {
  EXPECT_EQ(canonical_key("10^{20}\\pi"), "~3.14159265\\times10^{20}");
  EXPECT_EQ(canonical_key("\\frac{\\pi}{10^{8}}"), "~3.14159265\\times10^{-8}");
}

// A key is itself an answer: reading it back gives an equivalent answer.
TEST(CanonicalKey, KeysReadBackAsEquivalentAnswers) {
  for (const std::string s :
       {"\\sqrt{2}", "\\frac{6}{4}", "-2+7i", "10^{20}\\pi", "\\frac{\\pi}{10^{8}}", "(-\\infty, 0]",
        "\\{1\\pm\\sqrt{5},-2\\}", "3 \\pm 2\\sqrt{2}", "(2,12) \\cup (12,102)", "\\text{(C)}", "\\text{Navin}",
        "\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "5x - 7y + 11z + 4 = 0", "y = 2x + 3", "4210_{5}",
        "50\\%", "\\left( 3, \\frac{\\pi}{2} \\right)", "x > 5", "\\log_2 8", "1\\frac{4}{5}"}) {
    const std::string key = canonical_key(s);
    EXPECT_TRUE(answers_equivalent(s, key)) << "'" << s << "' and its key '" << key << "'";
  }
}

// Keys without rounded numbers are fixed points. (A rounded "~x" reads back as
// the exact decimal x, whose key is a fraction.)
TEST(CanonicalKey, ExactKeysAreFixedPoints) {
  for (const std::string s : {"\\frac{6}{4}", "(-\\infty, 0]", "\\text{(C)}", "\\text{Navin}", "y = 2x + 3", "4210_{5}",
                              "\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "\\{3, 1, 2\\}", "(2,12) \\cup (12,102)",
                              "5x - 7y + 11z + 4 = 0", "x > 5", "-7"}) {
    const std::string key = canonical_key(s);
    EXPECT_EQ(canonical_key(key), key) << "reading '" << key << "' (key of '" << s << "') back changes it";
  }
}

TEST(CanonicalKey, DifferentAnswersGetDifferentKeys) {
  const std::vector<std::string> distinct = {
      "1",       "-1",      "2",        "1/2",      "0.333333", "\\frac13",   "\\sqrt2",       "1.4142",
      "\\pi",    "3.14",    "(1,2)",    "[1,2]",    "(1,2]",    "\\{1,2\\}",  "(A)",           "(B)",
      "x",       "y",       "x^2",      "2x",       "4210_5",   "4210",       "\\text{east}",  "\\text{west}",
      "i",       "-i",      "\\infty",  "-\\infty", "12345678901", "12345678902", "1+2i",      "1-2i"};
  std::set<std::string> keys;
  for (const std::string& s : distinct) keys.insert(canonical_key(s));
  EXPECT_EQ(keys.size(), distinct.size());
}

TEST(CanonicalKey, EmptyAnswerHasTheEmptyKey) {
  EXPECT_EQ(canonical_key(""), "");
  EXPECT_EQ(canonical_key("   "), "");
  EXPECT_EQ(canonical_key("$$"), "");
}

TEST(CanonicalKey, UnreadableTextKeysAsItsNormalisedForm) {
  EXPECT_EQ(canonical_key("4210_{5}"), "4210_5");
  EXPECT_EQ(canonical_key("x > 5"), canonical_key("x>5"));
}

}  // namespace
}  // namespace optscale::answers
