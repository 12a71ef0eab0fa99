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
  // nullopt when `text` is not (entirely) an expression this grammar reads.
  static std::optional<Expression> parse(std::string_view text);

  bool has_variables() const { return !variables_.empty(); }
  const std::vector<std::string>& variables() const { return variables_; }

  // The value with every variable given the value `point(name)`; a constant
  // expression ignores `point`.
  template <class Point>
  Value evaluate(const Point& point) const {
    std::vector<std::complex<double>> values;
    values.reserve(variables_.size());
    for (const std::string& name : variables_) values.push_back(point(name));
    return evaluate_node(root_, values);
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
  Value evaluate_node(int index, const std::vector<std::complex<double>>& values) const;

  std::vector<Node> nodes_;
  std::vector<std::string> variables_;
  int root_ = -1;
};

}  // namespace optscale::answers::detail
