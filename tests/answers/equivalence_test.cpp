// Table-driven grading cases for answers_equivalent: each says why the two
// answers should (or should not) be the same, so a failure explains itself.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "optscale/answers/answers.hpp"

namespace optscale::answers {
namespace {

struct Case {
  const char* a;
  const char* b;
  bool expected;
  const char* reason;
};

constexpr bool kSame = true;
constexpr bool kDifferent = false;

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      // --- integers and their spellings
      {"25", "025", kSame, "AIME answers keep leading zeros"},
      {"1000", "1,000", kSame, "comma groups thousands in a whole-answer number"},
      {"1000", "1{,}000", kSame, "{,} is a typeset thousands separator"},
      {"11111111100", "11,\\! 111,\\! 111,\\! 100", kSame, "\\! marks typeset groups, so spaces after commas are allowed"},
      {"32348", "\\$32,\\!348", kSame, "currency sign and typeset group"},
      {"1234567", "1,234,567", kSame, "several thousands groups"},
      {"-5", "- 5", kSame, "space after the sign"},
      {"+5", "5", kSame, "explicit plus sign"},
      {"5", "5.", kSame, "trailing sentence period"},
      {"5", "5.0", kSame, "decimal zero is the same number"},
      {"5", "5.000", kSame, "trailing zeros"},
      {"18.9", "\\$18.90", kSame, "currency and trailing zero"},
      {"18", "18 dollars", kSame, "unit word after a number"},
      {"0", "-0", kSame, "negative zero"},
      {"0", "0.0", kSame, "decimal zero"},
      {"1000", "1\\!000", kSame, "\\! inside a number is invisible"},
      {"1000", "1\\,000", kSame, "thin space groups thousands"},
      {"2", "-2", kDifferent, "sign matters"},
      {"25", "250", kDifferent, "different integers"},
      {"1,000", "1.000", kDifferent, "comma groups thousands, period is a decimal point"},
      {"1,2", "12", kDifferent, "a comma not followed by three digits separates a list"},
      {"1, 234", "1234", kDifferent, "a spaced comma without typeset marks is a list separator"},
      {"3", "3.01", kDifferent, "exact rationals compare exactly"},
      {"100", "1000", kDifferent, "different magnitudes"},
      {"12345678901", "12345678902", kDifferent, "large integers compare exactly, not within a tolerance"},
      {"0.0000001", "0.0000002", kDifferent, "tiny exact decimals still differ"},
      {"123456789012345678901234567890", "123456789012345678901234567890", kSame, "a huge integer equals its own text"},
      {"123456789012345678901234567890", "123456789012345678901234567891", kDifferent,
       "integers beyond 64 bits compare by text, never within a tolerance"},

      // --- fractions and decimals
      {"\\frac{1}{2}", "0.5", kSame, "fraction equals its decimal"},
      {"\\dfrac{1}{2}", "\\frac12", kSame, "\\dfrac and the \\frac12 shorthand"},
      {"\\tfrac12", "1/2", kSame, "\\tfrac and a slash fraction"},
      {"\\frac 59", "5/9", kSame, "\\frac with space-separated one-digit arguments"},
      {"\\frac{270}7", "270/7", kSame, "one braced and one bare argument"},
      {"\\frac{3}{2}", "1.5", kSame, "improper fraction equals its decimal"},
      {"\\frac{3}{2}", "\\frac{6}{4}", kSame, "unreduced fraction"},
      {"-\\frac{24}{25}", "\\frac{-24}{25}", kSame, "sign outside or inside"},
      {"-\\frac{24}{25}", "-0.96", kSame, "negative fraction and decimal"},
      {"\\frac{1}{3}", "0.333333", kDifferent, "a truncated decimal is not the exact rational"},
      {"\\frac{1}{3}", "0.33", kDifferent, "rounded decimal"},
      {"\\frac{2}{3}", "\\frac{3}{2}", kDifferent, "reciprocal"},
      {"1/2", "2", kDifferent, "a fraction is not its denominator"},
      {".35625", "0.35625", kSame, "decimal without a leading zero"},
      {".0000672", "6.72\\times10^{-5}", kSame, "scientific notation with \\times"},
      {".0000672", "6.72 \\cdot 10^{-5}", kSame, "scientific notation with \\cdot"},
      {"\\frac{1997}{2}", "998.5", kSame, "half-integer"},
      {"\\frac{14}{3}", "4\\frac{2}{3}", kSame, "mixed number"},
      {"1\\frac{4}{5}", "\\frac{9}{5}", kSame, "mixed number is whole plus fraction"},
      {"137 \\frac{1}{2}", "137.5", kSame, "mixed number with a space"},
      {"-1\\frac{1}{2}", "-1.5", kSame, "negative mixed number"},
      {"1\\frac{4}{5}", "\\frac{4}{5}", kDifferent, "a mixed number is not a product"},
      {"2\\frac{\\pi}{3}", "\\frac{2\\pi}{3}", kSame, "non-integer numerator: implicit multiplication"},
      {"3/4", "\\frac{3}{4}", kSame, "slash and \\frac"},
      {"\\frac{6}{8}", "0.75", kSame, "unreduced fraction and decimal"},
      {"\\frac{1}{2}", "\\frac{1}{2}x", kDifferent, "a constant is not a monomial"},

      // --- percentages: p% equals p (decoration) and p/100; two plain numbers never rescale
      {"50\\%", "50", kSame, "percent sign as decoration"},
      {"50\\%", "0.5", kSame, "percent as a fraction of 100"},
      {"50\\%", "\\frac{1}{2}", kSame, "percent as an exact fraction"},
      {"50", "0.5", kDifferent, "without a percent sign there is no rescaling"},
      {"50\\%", "5", kDifferent, "neither p nor p/100"},
      {"50\\%", "0.05", kDifferent, "p/1000 is not p%"},
      {"12.5\\%", "0.125", kSame, "fractional percent"},
      {"12.5\\%", "12.5", kSame, "fractional percent as decoration"},
      {"50 \\text{ percent}", "50", kSame, "the word percent"},
      {"50%", "50\\%", kSame, "escaped and bare percent signs"},
      {"40\\%", "60\\%", kDifferent, "two different percentages"},

      // --- degrees
      {"75^\\circ", "75", kSame, "degree mark"},
      {"75^{\\circ}", "75", kSame, "braced degree mark"},
      {"75^{ \\circ }", "75", kSame, "braced degree mark with spaces"},
      {"75\u00b0", "75", kSame, "Unicode degree sign"},
      {"75 degrees", "75", kSame, "the word degrees"},
      {"\\frac{270}{7}\\text{ degrees}", "\\frac{270}7", kSame, "degrees in \\text after a fraction"},
      {"336^\\circ", "336", kSame, "AIME25 gold with a degree mark"},
      {"75^\\circ", "76^\\circ", kDifferent, "different angles"},
      {"90^\\circ", "\\frac{\\pi}{2}", kDifferent, "degrees are not converted to radians"},

      // --- units and words
      {"5 \\text{ cm}", "5", kSame, "unit in \\text"},
      {"5\\text{cm}", "5", kSame, "unit in \\text without a space"},
      {"15\\mbox{ cm}^2", "15", kSame, "squared unit in \\mbox"},
      {"864 \\mbox{ inches}^2", "864", kSame, "MATH500 gold with a squared unit"},
      {"5.4 \\text{ cents}", "5.4", kSame, "decimal with a unit"},
      {"10 \\text{ square units}", "10", kSame, "multi-word unit"},
      {"12\\,\\text{m}", "12", kSame, "one-letter unit in text mode"},
      {"5 cm", "5", kSame, "bare unit word"},
      {"7 \\text{ inches}", "7", kSame, "unit word inches"},
      {"10 square units", "10", kSame, "bare multi-word unit"},
      {"5 \\text{ cm}", "6 \\text{ cm}", kDifferent, "different numbers with the same unit"},
      {"5 \\text{ cm}", "5 \\text{ m}", kSame, "units are dropped, not converted (documented limitation)"},
      {"2\\mathbf{v}", "2", kDifferent, "a one-letter math-mode symbol is not a unit"},
      {"\\text{Navin}", "Navin", kSame, "word answer in \\text"},
      {"\\text{Navin}", "\\text{navin}", kSame, "words compare case-insensitively"},
      {"\\text{east}", "east", kSame, "direction word"},
      {"\\text{east}", "\\text{west}", kDifferent, "different words"},
      {"\\text{even}", "\\text{odd}", kDifferent, "different words"},
      {"\\text{ellipse}", "\\text{Ellipse}", kSame, "case of a word"},
      {"\\textbf{Evelyn}", "Evelyn", kSame, "bold word"},

      // --- delimiters, spacing and wrappers
      {"\\left( 1, 2 \\right)", "(1,2)", kSame, "\\left/\\right sizing"},
      {"\\left[ 1, 2 \\right]", "[1,2]", kSame, "sized square brackets"},
      {"2\\,\\sqrt{3}", "2\\sqrt3", kSame, "thin space inside a product"},
      {"$\\frac{1}{2}$", "1/2", kSame, "inline math delimiters"},
      {"$$5$$", "5", kSame, "display math delimiters"},
      {"\\(5\\)", "5", kSame, "\\( \\) delimiters"},
      {"\\[5\\]", "5", kSame, "\\[ \\] delimiters"},
      {"\\boxed{5}", "5", kSame, "a box around the whole answer"},
      {"\\boxed{\\boxed{5}}", "5", kSame, "nested boxes"},
      {"\\displaystyle\\frac{1}{2}", "0.5", kSame, "style command"},
      {"~5~", "5", kSame, "non-breaking spaces"},
      {"\\left\\{1,2\\right\\}", "\\{2,1\\}", kSame, "sized set braces"},
      {"5\\quad", "5", kSame, "\\quad spacing"},
      {"\\approx 3.5", "3.5", kSame, "leading \\approx"},
      {"= 7", "7", kSame, "leading equals sign"},

      // --- radicals, pi and arithmetic
      {"\\sqrt{12}", "2\\sqrt{3}", kSame, "simplified radical"},
      {"\\sqrt2", "\\sqrt{2}", kSame, "\\sqrt shorthand"},
      {"11\\sqrt2", "\\sqrt{242}", kSame, "coefficient moved inside the root"},
      {"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", kSame, "rationalised denominator"},
      {"\\frac{\\sqrt{21}}{5}", "\\sqrt{\\frac{21}{25}}", kSame, "root of a fraction"},
      {"\\sqrt{53}", "53^{1/2}", kSame, "root as a fractional power"},
      {"\\sqrt{4}", "2", kSame, "perfect square root is exact"},
      {"\\sqrt[3]{27}", "3", kSame, "cube root"},
      {"\\sqrt[3]{-8}", "-2", kSame, "real odd root of a negative number"},
      {"\\sqrt2", "1.414214", kSame, "six significant digits match an irrational"},
      {"\\sqrt2", "1.4142", kDifferent, "five digits are too coarse"},
      {"\\sqrt{2}", "\\sqrt{3}", kDifferent, "different radicals"},
      {"2\\sqrt{3}", "3\\sqrt{2}", kDifferent, "swapped coefficient and radicand"},
      {"\\sqrt{2}", "2", kDifferent, "root is not the radicand"},
      {"7\\pi", "\\pi \\cdot 7", kSame, "commuted product with \\cdot"},
      {"3\\pi", "9.42477796", kSame, "decimal value of 3 pi"},
      {"\\pi", "3.14", kDifferent, "3.14 is too coarse for pi"},
      {"\\pi", "3.14159265", kSame, "pi to nine digits"},
      {"12\\pi", "12 \\times \\pi", kSame, "\\times"},
      {"18+2\\pi", "2\\pi+18", kSame, "commuted sum"},
      {"\\frac{20000}{\\pi}", "20000/\\pi", kSame, "division by pi"},
      {"-\\frac{\\pi}{6}", "-\\pi/6", kSame, "negative angle"},
      {"\\frac{\\pi}{6}", "-\\frac{\\pi}{6}", kDifferent, "sign of an angle"},
      {"288 \\pi", "288\\pi", kSame, "space in implicit multiplication"},
      {"\\frac{5\\pi^2}{4}", "1.25\\pi^2", kSame, "power of pi"},
      {"1+2\\sqrt{3}", "2\\sqrt3+1", kSame, "commuted radical sum"},
      {"11 \\sqrt{5} + 11", "11(\\sqrt5+1)", kSame, "factored form"},
      {"2^{10}", "1024", kSame, "power"},
      {"2^10", "1024", kSame, "unbraced multi-digit exponent is read whole"},
      {"2^{-1}", "0.5", kSame, "negative exponent"},
      {"10^{3}", "1000", kSame, "power of ten"},
      {"3 \\cdot 4", "12", kSame, "\\cdot product"},
      {"3 \\times 4", "12", kSame, "\\times product"},
      {"12 \\div 4", "3", kSame, "\\div"},
      {"2(3+4)", "14", kSame, "implicit multiplication with parentheses"},
      {"(2)(3)", "6", kSame, "product of parenthesised factors"},
      {"5!", "120", kSame, "factorial"},
      {"\\binom{10}{3}", "120", kSame, "binomial coefficient"},
      {"\\dbinom{6}{2}", "15", kSame, "\\dbinom"},
      {"|-3|", "3", kSame, "absolute value"},
      {"e", "2.718281828", kSame, "e is Euler's number"},
      {"e^{2}", "e^2", kSame, "braced and bare exponent"},
      {"\\ln e", "1", kSame, "natural logarithm"},
      {"\\log_2 8", "3", kSame, "logarithm with a base"},
      {"\\sin \\frac{\\pi}{6}", "\\frac12", kSame, "sine of a special angle"},
      {"2^{3}", "3^{2}", kDifferent, "8 is not 9"},
      {"-2^2", "-4", kSame, "unary minus binds looser than the power"},
      {"(-2)^2", "4", kSame, "parenthesised negative base"},
      {"-2^2", "4", kDifferent, "-2^2 is -4"},
      {"\\frac{1}{0}", "\\frac{2}{0}", kDifferent, "division by zero has no value"},

      // --- complex numbers
      {"-2 + 7i", "7i - 2", kSame, "commuted complex number"},
      {"1+2i", "2i+1", kSame, "commuted complex number"},
      {"1+2i", "1-2i", kDifferent, "conjugate"},
      {"6 - 5i", "6-5i", kSame, "spacing"},
      {"i", "\\sqrt{-1}", kSame, "imaginary unit"},
      {"i^2", "-1", kSame, "i squared"},
      {"1+274i", "274i+1", kSame, "large imaginary part"},

      // --- expressions with variables (compared by evaluation at fixed points)
      {"2k+2", "2(k+1)", kSame, "factored linear expression"},
      {"15x - 80", "5(3x-16)", kSame, "common factor"},
      {"x^2", "x^3", kDifferent, "different powers"},
      {"x^2", "x^{2}", kSame, "braced exponent"},
      {"6r^2-4r-24", "2(3r^2-2r-12)", kSame, "factored polynomial"},
      {"(a+5)(b+2)", "(b+2)(a+5)", kSame, "commuted factors"},
      {"(a+5)(b+2)", "ab+2a+5b+10", kSame, "expanded product"},
      {"p - q", "q - p", kDifferent, "opposite"},
      {"3R^2", "3r^2", kDifferent, "variables are case-sensitive"},
      {"\\frac{11+9a}{20}", "\\frac{9a+11}{20}", kSame, "commuted numerator"},
      {"x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1", "\\frac{x^9-1}{x-1}", kSame, "geometric sum"},
      {"2k", "k+k", kSame, "like terms"},
      {"2k", "2m", kDifferent, "different variables"},
      {"\\cot x", "\\frac{\\cos x}{\\sin x}", kSame, "trigonometric identity"},
      {"\\cot x", "\\tan x", kDifferent, "different functions"},
      {"\\cos^2 x + \\sin^2 x", "1", kSame, "Pythagorean identity"},
      {"x_1 + x_2", "x_2 + x_1", kSame, "subscripted variables"},
      {"\\theta + 1", "1+\\theta", kSame, "Greek variable"},
      {"x^3+3x-6", "x^3 + 3x - 6", kSame, "spacing in a polynomial"},
      {"8n^2 + 4n + 1", "8n^2+4n+2", kDifferent, "different constant term"},

      // --- "x = ..." prefixes
      {"x = 5", "5", kSame, "variable prefix"},
      {"x=5", "y=5", kSame, "both prefixes are stripped: the values agree"},
      {"f(x) = x^2", "x^2", kSame, "function prefix"},
      {"x = 5", "6", kDifferent, "prefix stripped, value differs"},
      {"(x, y) = (1, 2)", "(1,2)", kSame, "tuple of variables as prefix"},
      {"x \\in [-2,7]", "[-2,7]", kSame, "membership prefix"},
      {"k = 3", "3", kSame, "other letter"},
      {"y = 2x + 3", "2x+3", kSame, "line given as y = ..."},
      {"y = 2x + 3", "y=2x+4", kDifferent, "different intercept"},
      {"y = -2x", "-2x", kSame, "MATH500 gold with a prefix"},

      // --- equations
      {"5x - 7y + 11z + 4 = 0", "-5x + 7y - 11z - 4 = 0", kSame, "an equation times -1 is the same plane"},
      {"5x - 7y + 11z + 4 = 0", "10x - 14y + 22z + 8 = 0", kSame, "an equation times 2 is the same plane"},
      {"5x - 7y + 11z + 4 = 0", "5x - 7y + 11z - 4 = 0", kDifferent, "different constant"},
      {"x + y = 1", "y + x = 1", kSame, "commuted side"},
      {"x + y = 1", "1 = x + y", kSame, "swapped sides"},
      {"x + y = 1", "x - y = 1", kDifferent, "different line"},

      // --- tuples and intervals (brackets matter)
      {"(2,4)", "(2, 4)", kSame, "spacing in a pair"},
      {"(2,4)", "(4,2)", kDifferent, "pairs are ordered"},
      {"(1,2]", "[1,2]", kDifferent, "open and closed ends differ"},
      {"(1,2)", "[1,2]", kDifferent, "open and closed interval"},
      {"[1,2)", "[1,2)", kSame, "identical half-open interval"},
      {"(-\\infty, 0]", "(-\\infty,0]", kSame, "infinite end"},
      {"(-\\infty, 0]", "(-\\infty,0)", kDifferent, "closed and open end"},
      {"(-\\infty, 0]", "(\\infty, 0]", kDifferent, "sign of infinity"},
      {"(2,\\infty)", "(2, \\infty)", kSame, "spacing"},
      {"\\left( 3, \\frac{\\pi}{2} \\right)", "(3, \\pi/2)", kSame, "polar coordinates"},
      {"\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(0.6, 8/3]", kSame, "half-open interval with fractions"},
      {"(1,-16,-4,43)", "(1, -16, -4, 43)", kSame, "quadruple"},
      {"(1,-16,-4,43)", "(1,-16,-4)", kDifferent, "different length"},
      {"(-\\sqrt{3}, \\sqrt{3})", "(-1.7320508, 1.7320508)", kSame, "decimal ends"},
      {"(-\\infty, 2) \\cup (3, \\infty)", "(3, \\infty) \\cup (-\\infty, 2)", kSame, "union order"},
      {"(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty, 2] \\cup (3, \\infty)", kDifferent, "closed end in a union"},
      {"(2,12) \\cup (12,102)", "(2,102)", kDifferent, "a union with a hole is not the whole interval"},
      {"(0,9) \\cup (9,36)", "(0, 9)\\cup(9, 36)", kSame, "spacing in a union"},
      {"(1,2)", "1,2", kDifferent, "an ordered pair is not a list of solutions"},
      {"\\left( \\frac{3}{2}, -13 \\right)", "(1.5,-13)", kSame, "fraction inside a pair"},

      // --- sets and lists (order-insensitive)
      {"\\{1,2,3\\}", "\\{3,2,1\\}", kSame, "set order"},
      {"\\{1,2,3\\}", "\\{1,2\\}", kDifferent, "missing element"},
      {"3, 5, 7", "7, 5, 3", kSame, "list order"},
      {"3, 5, 7", "3, 5", kDifferent, "missing element"},
      {"-2,1", "1,-2", kSame, "MATH500 list gold, reordered"},
      {"1,-2", "1,2", kDifferent, "sign of an element"},
      {"\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt5, 1-\\sqrt5", kSame, "plus-minus inside a set"},
      {"3 \\pm 2\\sqrt{2}", "3+2\\sqrt2, 3-2\\sqrt2", kSame, "plus-minus is both values"},
      {"3 \\pm 2\\sqrt{2}", "3+2\\sqrt2", kDifferent, "one of two roots"},
      {"1 \\pm \\sqrt{19}", "\\{1-\\sqrt{19}, 1+\\sqrt{19}\\}", kSame, "plus-minus and a braced set"},
      {"\\frac{-1\\pm\\sqrt5}{2}", "\\frac{-1+\\sqrt5}{2},\\frac{-1-\\sqrt5}{2}", kSame, "plus-minus inside a fraction"},
      {"x=1 \\text{ or } x=2", "1,2", kSame, "\\text{ or } separates solutions"},
      {"2 \\text{ and } 3", "2, 3", kSame, "\\text{ and } separates solutions"},
      {"2 or 3", "3,2", kSame, "bare 'or'"},
      {"\\{5\\}", "5", kSame, "a one-element set is its element"},
      {"\\{1,1,2\\}", "\\{1,2\\}", kSame, "repeated elements count once"},
      {"2, 2", "2", kSame, "a double root listed twice"},
      {"\\emptyset", "\\varnothing", kSame, "empty set spellings"},
      {"\\emptyset", "0", kDifferent, "empty set is not zero"},
      {"\\{\\frac12, 2\\}", "\\{0.5, 2\\}", kSame, "elements compare as values"},

      // --- multiple choice
      {"(C)", "C", kSame, "letter with and without parentheses"},
      {"\\text{(C)}", "(C)", kSame, "MATH500 gold in \\text"},
      {"\\textbf{(B)}", "B", kSame, "bold choice"},
      {"(B) 12", "B", kSame, "choice followed by its value"},
      {"B)", "(B)", kSame, "closing parenthesis only"},
      {"\\mathrm{(D)}", "D", kSame, "choice in \\mathrm"},
      {"(A)", "(B)", kDifferent, "different choices"},
      {"(C)", "3", kDifferent, "a choice is not a number"},
      {"\\text{(E)}", "E", kSame, "last choice letter"},

      // --- matrices and vectors
      {"\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}", "\\begin{bmatrix}-1&0\\\\0&-1\\end{bmatrix}", kSame,
       "pmatrix and bmatrix"},
      {"\\begin{pmatrix} 16/49 \\\\ 48/49 \\\\ 24/49 \\end{pmatrix}",
       "\\begin{pmatrix} \\frac{16}{49} \\\\ \\frac{48}{49} \\\\ \\frac{24}{49} \\end{pmatrix}", kSame,
       "entries as slash and \\frac"},
      {"\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\end{pmatrix}", kDifferent,
       "column and row vectors"},
      {"\\begin{pmatrix} -18 \\\\ -49 \\\\ 96 \\end{pmatrix}", "\\begin{pmatrix} -18 \\\\ -49 \\\\ 69 \\end{pmatrix}",
       kDifferent, "one entry differs"},
      {"\\begin{pmatrix} 1 \\\\ 2 \\\\ \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", kSame,
       "trailing row break"},

      // --- numerals in other bases and raw text
      {"4210_{5}", "4210_5", kSame, "braced base subscript"},
      {"4210_5", "4210", kDifferent, "a base-5 numeral is not the decimal digits"},
      {"4210_5", "4211_5", kDifferent, "different numerals"},
      {"x > 5", "x>5", kSame, "inequality compared as normalised text"},
      {"x > 5", "x > 6", kDifferent, "different inequality"},
      {"\\infty", "\\infty", kSame, "infinity"},
      {"\\infty", "-\\infty", kDifferent, "sign of infinity"},

      // --- nothing is not an answer
      {"", "", kDifferent, "the empty answer matches nothing"},
      {"5", "", kDifferent, "the empty answer matches nothing"},
      {"\\boxed{}", "\\boxed{}", kDifferent, "an empty box is empty"},
  };
  return table;
}

TEST(AnswersEquivalent, TableHasAtLeastTwoHundredCases) { EXPECT_GE(cases().size(), 200u); }

TEST(AnswersEquivalent, Table) {
  for (const Case& c : cases()) {
    EXPECT_EQ(answers_equivalent(c.a, c.b), c.expected)
        << "'" << c.a << "' vs '" << c.b << "' should " << (c.expected ? "" : "not ") << "match: " << c.reason;
  }
}

TEST(AnswersEquivalent, Symmetric) {
  for (const Case& c : cases())
    EXPECT_EQ(answers_equivalent(c.a, c.b), answers_equivalent(c.b, c.a)) << "'" << c.a << "' vs '" << c.b << "'";
}

TEST(AnswersEquivalent, EveryNonEmptyAnswerMatchesItself) {
  for (const Case& c : cases())
    for (const char* s : {c.a, c.b}) {
      if (!canonical_key(s).empty()) {
        EXPECT_TRUE(answers_equivalent(s, s)) << "'" << s << "'";
      }
    }
}

// canonical_key promises: equal non-empty keys imply equivalence. Checked on
// every pair of answers appearing anywhere in the table.
TEST(CanonicalKey, EqualKeysImplyEquivalenceAcrossTheTable) {
  std::set<std::string> answers;
  for (const Case& c : cases()) {
    answers.insert(c.a);
    answers.insert(c.b);
  }
  const std::vector<std::string> all(answers.begin(), answers.end());
  std::vector<std::string> keys;
  for (const std::string& s : all) keys.push_back(canonical_key(s));
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      if (!keys[i].empty() && keys[i] == keys[j]) {
        EXPECT_TRUE(answers_equivalent(all[i], all[j]))
            << "'" << all[i] << "' and '" << all[j] << "' share key '" << keys[i] << "'";
      }
    }
  }
}

// Seeded random LaTeX-ish strings: no crash, no hang, symmetric, reflexive.
TEST(AnswersEquivalent, RandomInputsAreHandledSafely) {
  const std::vector<std::string> pieces = {
      "\\frac", "{", "}", "(", ")", "[", "]", "\\{", "\\}", "1", "2", "0", ".", ",", "-", "+", "^", "_", "x",
      "y", "\\sqrt", "\\pi", "\\pm", "=", "\\text{cm}", "\\%", "\\circ", "\\left(", "\\right]", " ", "\\cup",
      "i", "e", "!", "|", "\\infty", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "\\boxed{", "$", "/"};
  std::mt19937_64 rng(20240611);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), length(0, 14);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string a, b;
    for (std::size_t k = length(rng); k > 0; --k) a += pieces[pick(rng)];
    for (std::size_t k = length(rng); k > 0; --k) b += pieces[pick(rng)];
    const bool ab = answers_equivalent(a, b);
    EXPECT_EQ(ab, answers_equivalent(b, a)) << "'" << a << "' vs '" << b << "'";
    if (!canonical_key(a).empty()) {
      EXPECT_TRUE(answers_equivalent(a, a)) << "'" << a << "'";
    }
  }
}

TEST(AnswersEquivalent, LongListsCompareAsSets) {
  std::string ascending, descending, changed;
  for (int k = 1; k <= 300; ++k) {
    const char* comma = k > 1 ? "," : "";
    ascending.append(comma).append(std::to_string(k));
    descending.append(comma).append(std::to_string(301 - k));
    changed.append(comma).append(std::to_string(k == 150 ? 1000 : k));
  }
  EXPECT_TRUE(answers_equivalent(ascending, descending));
  EXPECT_FALSE(answers_equivalent(ascending, changed));
  EXPECT_EQ(canonical_key(ascending), canonical_key(descending));
}

TEST(AnswersEquivalent, DeeplyNestedInputDoesNotOverflowTheStack) {
  std::string deep(100000, '(');
  deep.append("1").append(100000, ')');
  EXPECT_FALSE(answers_equivalent(deep, "2"));
  std::string braces(50000, '{');
  braces.append("1").append(50000, '}');
  EXPECT_FALSE(answers_equivalent(braces, "2"));
  EXPECT_FALSE(canonical_key(deep).empty());
  for (const std::string& open : {std::string("\\{"), std::string("\\boxed{"), std::string("\\sqrt{"),
                                  std::string("\\text{"), std::string("(1,")}) {
    std::string nested;
    for (int k = 0; k < 20000; ++k) nested += open;
    EXPECT_FALSE(answers_equivalent(nested, "1")) << open;
  }
}

}  // namespace
}  // namespace optscale::answers
