// A LaTeX arithmetic expression parsed once and evaluated many times: numbers,
// + - * / ^, \cdot, \times, \div, implicit multiplication (2\sqrt{3}, 3\pi, 2x),
// \frac (also \frac12 shorthand), \sqrt and \sqrt[n], \binom, n!, |x|, \pi, e,
// i, \infty, single-letter and Greek variables (with subscripts) and the usual
// functions (\sin, \ln, \log_b, ...).
//
// Values are exact rationals where the arithmetic allows (integers, decimals,
// fractions, perfect roots), complex doubles otherwise; expressions with free
// variables are compared by evaluating them at fixed pseudo-random points.
#pragma once
#include <complex>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rational.hpp"

namespace optscale::answers::detail {

struct Value {
  std::complex<double> z;
  std::optional<Rational> exact;  // set when the value is a known rational

  static Value of(const Rational& q) { return {std::complex<double>(q.to_double(), 0.0), q}; }
  static Value approx(std::complex<double> z) { return {z, std::nullopt}; }
};

// Whether `name` (without the backslash) is a Greek-letter command read as a variable.
bool is_greek_letter(std::string_view name);

class Expression {
 public:
  // Nesting this parser follows (groups, \\sqrt and \\frac arguments, signs,
  // exponents each count); deeper text is not read as an expression, so that
  // hostile input cannot overflow the stack (docs/answers.md#limits).
  static constexpr int kMaxDepth = 200;

  // nullopt when `text` is not (entirely) an expression this grammar reads;
  // then `*too_deep` (when given) says whether the nesting limit was the reason.
  static std::optional<Expression> parse(std::string_view text, bool* too_deep = nullptr);

  bool has_variables() const { return !variables_.empty(); }
  const std::vector<std::string>& variables() const { return variables_; }

  // The value with every variable given the value `point(name)`; a constant
  // expression ignores `point`.
  template <class Point>
  Value evaluate(const Point& point) const {
    std::vector<std::complex<double>> values;
    values.reserve(variables_.size());
    for (const std::string& name : variables_) values.push_back(point(name));
    return evaluate_nodes(values);
  }
  Value evaluate() const {
    return evaluate([](const std::string&) { return std::complex<double>(0.0, 0.0); });
  }

  enum class Op : std::uint8_t {
    kNumber, kPi, kEuler, kImaginary, kInfinity, kVariable,
    kNegate, kAdd, kSubtract, kMultiply, kDivide, kPower,
    kSqrt, kRoot, kFactorial, kBinomial, kAbs, kFunction, kLogBase,
  };
  enum class Function : std::uint8_t {
    kSin, kCos, kTan, kCot, kSec, kCsc, kArcsin, kArccos, kArctan,
    kSinh, kCosh, kTanh, kLn, kLog, kExp,
  };
  struct Node {
    Op op;
    Function function = Function::kSin;
    int a = -1, b = -1;  // operand node indices
    int variable = -1;   // index into variables_ for kVariable
    Value number{};      // for kNumber
  };

 private:
  friend class ExpressionParser;
  // Every node's operands have smaller indices (a node is added after its
  // operands are parsed), so one pass in index order evaluates the tree
  // without recursion: a flat sum of 5,000 terms or a chain of factorials is
  // as safe as a short one.
  Value evaluate_nodes(const std::vector<std::complex<double>>& values) const;

  std::vector<Node> nodes_;
  std::vector<std::string> variables_;
  int root_ = -1;
};

}  // namespace optscale::answers::detail
