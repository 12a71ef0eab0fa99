// Recursive-descent reader of LaTeX arithmetic and its evaluator (expression.hpp).
#include "expression.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <utility>

#include "latex_scan.hpp"

namespace optscale::answers::detail {

using Op = Expression::Op;
using Function = Expression::Function;
using Node = Expression::Node;

namespace {

__extension__ typedef unsigned __int128 UInt128;

const std::complex<double> kNaN(std::numeric_limits<double>::quiet_NaN(), 0.0);

constexpr int kMaxDepth = Expression::kMaxDepth;

struct NamedFunction {
  std::string_view name;
  Function function;
};
constexpr std::array<NamedFunction, 15> kFunctions = {{
    {"sin", Function::kSin}, {"cos", Function::kCos}, {"tan", Function::kTan},
    {"cot", Function::kCot}, {"sec", Function::kSec}, {"csc", Function::kCsc},
    {"arcsin", Function::kArcsin}, {"arccos", Function::kArccos}, {"arctan", Function::kArctan},
    {"sinh", Function::kSinh}, {"cosh", Function::kCosh}, {"tanh", Function::kTanh},
    {"ln", Function::kLn}, {"log", Function::kLog}, {"exp", Function::kExp},
}};

std::optional<Function> function_named(std::string_view name) {
  for (const NamedFunction& f : kFunctions)
    if (f.name == name) return f.function;
  return std::nullopt;
}

constexpr std::array<std::string_view, 33> kGreek = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
    "Lambda", "Sigma", "Phi", "Psi", "Omega"};

}  // namespace

bool is_greek_letter(std::string_view name) {
  for (std::string_view g : kGreek)
    if (g == name) return true;
  return false;
}

class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, Expression& out) : s_(text), e_(out) {}

  bool run() {
    const int root = sum();
    if (!ok_ || peek() != '\0') return false;
    e_.root_ = root;
    return true;
  }

  bool too_deep() const { return too_deep_; }

 private:
  int fail() {
    ok_ = false;
    return -1;
  }
  int fail_too_deep() {
    too_deep_ = true;
    return fail();
  }

  int add(Node node) {
    e_.nodes_.push_back(node);
    return static_cast<int>(e_.nodes_.size()) - 1;
  }
  int unary(Op op, int a) { return ok_ ? add(Node{op, Function::kSin, a, -1, -1, {}}) : -1; }
  int binary(Op op, int a, int b) { return ok_ ? add(Node{op, Function::kSin, a, b, -1, {}}) : -1; }
  int leaf(Op op) { return add(Node{op, Function::kSin, -1, -1, -1, {}}); }
  int number(const Value& v) { return add(Node{Op::kNumber, Function::kSin, -1, -1, -1, v}); }

  int variable(std::string name) {
    auto& vars = e_.variables_;
    int index = -1;
    for (std::size_t k = 0; k < vars.size(); ++k)
      if (vars[k] == name) index = static_cast<int>(k);
    if (index < 0) {
      vars.push_back(std::move(name));
      index = static_cast<int>(vars.size()) - 1;
    }
    return add(Node{Op::kVariable, Function::kSin, -1, -1, index, {}});
  }

  // Next significant character (spaces skipped), '\0' at the end.
  char peek() {
    pos_ = skip_spaces(s_, pos_);
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  std::string_view peek_command() {
    if (peek() != '\\') return {};
    return command_name(s_, pos_);
  }
  void consume_command(std::string_view name) { pos_ += 1 + name.size(); }
  bool expect(char c) {
    if (peek() != c) {
      fail();
      return false;
    }
    ++pos_;
    return true;
  }

  struct DepthGuard {
    explicit DepthGuard(ExpressionParser& p) : parser(p) { ++parser.depth_; }
    ~DepthGuard() { --parser.depth_; }
    ExpressionParser& parser;
  };

  int sum() {
    DepthGuard guard(*this);
    if (depth_ > kMaxDepth) return fail_too_deep();
    int left = product();
    while (ok_) {
      const char c = peek();
      if (c == '+' || c == '-') {
        ++pos_;
        const int right = product();
        left = binary(c == '+' ? Op::kAdd : Op::kSubtract, left, right);
      } else {
        break;
      }
    }
    return left;
  }

  int product() {
    int left = signed_factor();
    while (ok_) {
      const char c = peek();
      const std::string_view cmd = peek_command();
      if (c == '*' || c == '/') {
        ++pos_;
        left = binary(c == '*' ? Op::kMultiply : Op::kDivide, left, signed_factor());
      } else if (cmd == "cdot" || cmd == "times" || cmd == "div") {
        consume_command(cmd);
        left = binary(cmd == "div" ? Op::kDivide : Op::kMultiply, left, signed_factor());
      } else if (starts_implicit_factor()) {
        left = binary(Op::kMultiply, left, power());
      } else {
        break;
      }
    }
    return left;
  }

  int signed_factor() {
    DepthGuard guard(*this);
    if (depth_ > kMaxDepth) return fail_too_deep();
    const char c = peek();
    if (c == '-') {
      ++pos_;
      return unary(Op::kNegate, signed_factor());
    }
    if (c == '+') {
      ++pos_;
      return signed_factor();
    }
    return power();
  }

  int power() {
    const int base = postfix();
    if (ok_ && peek() == '^') {
      ++pos_;
      return binary(Op::kPower, base, exponent());
    }
    return base;
  }

  // What follows '^': a {group}, a digit run, one letter, a command, a
  // parenthesis, or a signed one of these; right-associative.
  int exponent() {
    DepthGuard guard(*this);
    if (depth_ > kMaxDepth) return fail_too_deep();
    const char c = peek();
    int result;
    if (c == '{') {
      ++pos_;
      result = sum();
      expect('}');
    } else if (c == '-' || c == '+') {
      ++pos_;
      result = exponent();
      if (c == '-') result = unary(Op::kNegate, result);
    } else if (is_digit(c)) {
      result = number_literal();
    } else if (is_letter(c)) {
      result = single_letter();
    } else if (c == '\\' || c == '(') {
      result = primary();
    } else {
      return fail();
    }
    if (ok_ && peek() == '^') {
      ++pos_;
      result = binary(Op::kPower, result, exponent());
    }
    return result;
  }

  int postfix() {
    int p = primary();
    while (ok_ && peek() == '!') {
      ++pos_;
      p = unary(Op::kFactorial, p);
    }
    return p;
  }

  // Whether the next token begins a factor that multiplies the previous one
  // without an operator. A digit never does ("2 3" is not 6; "x2" is not 2x).
  bool starts_implicit_factor() {
    const char c = peek();
    if (is_letter(c) || c == '(' || c == '{') return true;
    if (c != '\\') return false;
    const std::string_view cmd = command_name(s_, pos_);
    return cmd == "frac" || cmd == "sqrt" || cmd == "binom" || cmd == "pi" || cmd == "infty" || is_greek_letter(cmd) ||
           function_named(cmd).has_value();
  }

  bool at_function() {
    const char c = peek();
    if (c == '\\') return function_named(command_name(s_, pos_)).has_value();
    if (!is_letter(c)) return false;
    std::size_t end = pos_;
    while (end < s_.size() && is_letter(s_[end])) ++end;
    return function_named(s_.substr(pos_, end - pos_)).has_value() || s_.substr(pos_, end - pos_) == "sqrt";
  }

  int primary() {
    DepthGuard guard(*this);
    if (depth_ > kMaxDepth) return fail_too_deep();
    const char c = peek();
    if (is_digit(c) || (c == '.' && pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]))) return number_literal();
    if (c == '(' || c == '[' || c == '{') {
      ++pos_;
      const int inner = sum();
      expect(c == '(' ? ')' : c == '[' ? ']' : '}');
      return inner;
    }
    if (c == '|') {
      ++pos_;
      const int inner = sum();
      expect('|');
      return unary(Op::kAbs, inner);
    }
    if (is_letter(c)) return letter_primary();
    if (c == '\\') return command_primary();
    return fail();
  }

  int number_literal() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_;
    }
    // "4210_5" (a numeral in another base) is not a decimal number.
    if (pos_ < s_.size() && s_[pos_] == '_') return fail();
    const std::string_view literal = s_.substr(start, pos_ - start);
    if (auto exact = parse_decimal(literal.data(), literal.size())) return number(Value::of(*exact));
    // Too many digits for 64 bits. An integer part that large is unknown (NaN:
    // such answers compare only as text, since doubles cannot tell two of
    // them apart); a long fractional part is a fine approximation.
    const std::size_t point = literal.find('.');
    const std::size_t integer_digits = point == kNpos ? literal.size() : point;
    if (integer_digits > 18) return number(Value::approx(kNaN));
    const std::string copy(literal);
    return number(Value::approx(std::strtod(copy.c_str(), nullptr)));
  }

  std::string_view letter_run() const {
    std::size_t end = pos_;
    while (end < s_.size() && is_letter(s_[end])) ++end;
    return s_.substr(pos_, end - pos_);
  }

  // A letter: a variable (x, x_1, a_{n}), e, i, or a function word (sin, ln).
  // Three or more letters that are not a function word are prose, not algebra.
  int letter_primary() {
    const std::string_view run = letter_run();
    if (run.size() >= 2) {
      if (auto f = function_named(run)) {
        pos_ += run.size();
        return function_call(*f);
      }
      if (run == "sqrt") {
        pos_ += run.size();
        return unary(Op::kSqrt, function_argument());
      }
      if (run.size() >= 3) return fail();
    }
    return single_letter();
  }

  int single_letter() {
    const char ch = s_[pos_++];
    if (pos_ < s_.size() && s_[pos_] == '_') {
      ++pos_;
      std::string name(1, ch);
      name += '_';
      if (pos_ < s_.size() && s_[pos_] == '{') {
        const std::size_t close = matching_brace(s_, pos_);
        if (close == kNpos) return fail();
        name += s_.substr(pos_ + 1, close - pos_ - 1);
        pos_ = close + 1;
      } else if (pos_ < s_.size() && is_digit(s_[pos_])) {
        while (pos_ < s_.size() && is_digit(s_[pos_])) name += s_[pos_++];
      } else if (pos_ < s_.size() && is_letter(s_[pos_])) {
        name += s_[pos_++];
      } else {
        return fail();
      }
      return variable(std::move(name));
    }
    if (ch == 'e') return leaf(Op::kEuler);
    if (ch == 'i') return leaf(Op::kImaginary);
    return variable(std::string(1, ch));
  }

  int command_primary() {
    DepthGuard guard(*this);  // \sqrt\sqrt\sqrt 2 and \frac\frac... recurse through here only
    if (depth_ > kMaxDepth) return fail_too_deep();
    const std::string_view cmd = command_name(s_, pos_);
    if (cmd.empty() || !is_letter(cmd[0])) return fail();
    consume_command(cmd);
    if (cmd == "frac") {
      const int num = argument();
      const int den = argument();
      return binary(Op::kDivide, num, den);
    }
    if (cmd == "binom") {
      const int n = argument();
      const int k = argument();
      return binary(Op::kBinomial, n, k);
    }
    if (cmd == "sqrt") {
      if (peek() == '[') {
        ++pos_;
        const int index = sum();
        expect(']');
        return binary(Op::kRoot, index, argument());
      }
      return unary(Op::kSqrt, argument());
    }
    if (cmd == "pi") return leaf(Op::kPi);
    if (cmd == "infty") return leaf(Op::kInfinity);
    if (is_greek_letter(cmd)) {
      std::string name(1, '\\');
      name += cmd;
      return variable(std::move(name));
    }
    if (cmd == "log" && peek() == '_') {
      ++pos_;
      const int base = exponent();
      return binary(Op::kLogBase, function_argument(), base);
    }
    if (auto f = function_named(cmd)) return function_call(*f);
    return fail();
  }

  // \sin^2 x = (\sin x)^2; \sin^{-1} x = \arcsin x.
  int function_call(Function f) {
    int exponent_node = -1;
    if (peek() == '^') {
      ++pos_;
      exponent_node = exponent();
      if (!ok_) return -1;
    }
    if (exponent_node >= 0 && is_minus_one(exponent_node)) {
      switch (f) {
        case Function::kSin: f = Function::kArcsin; exponent_node = -1; break;
        case Function::kCos: f = Function::kArccos; exponent_node = -1; break;
        case Function::kTan: f = Function::kArctan; exponent_node = -1; break;
        default: break;
      }
    }
    const int arg = function_argument();
    if (!ok_) return -1;
    Node call{Op::kFunction, f, arg, -1, -1, {}};
    const int result = add(call);
    return exponent_node >= 0 ? binary(Op::kPower, result, exponent_node) : result;
  }

  bool is_minus_one(int node) const {
    const Node& n = e_.nodes_[node];
    if (n.op == Op::kNegate) {
      const Node& inner = e_.nodes_[n.a];
      return inner.op == Op::kNumber && inner.number.exact && *inner.number.exact == Rational{1, 1};
    }
    return n.op == Op::kNumber && n.number.exact && *n.number.exact == Rational{-1, 1};
  }

  // A function's argument: a bracketed group, or the product of the factors
  // that follow up to the next operator or function (\sin 2x \cos x).
  int function_argument() {
    DepthGuard guard(*this);
    if (depth_ > kMaxDepth) return fail_too_deep();
    const char c = peek();
    if (c == '(' || c == '{' || c == '[') return primary();
    int arg = power();
    while (ok_ && starts_implicit_factor() && !at_function()) arg = binary(Op::kMultiply, arg, power());
    return arg;
  }

  // An argument of \frac, \sqrt, \binom: a {group}, or one digit, letter or command.
  int argument() {
    if (!ok_) return -1;
    DepthGuard guard(*this);
    if (depth_ > kMaxDepth) return fail_too_deep();
    const char c = peek();
    if (c == '{') {
      ++pos_;
      const int inner = sum();
      expect('}');
      return inner;
    }
    if (is_digit(c)) {
      const auto digit = parse_decimal(&s_[pos_], 1);
      ++pos_;
      return number(Value::of(*digit));
    }
    if (is_letter(c)) {
      const char ch = s_[pos_++];
      if (ch == 'e') return leaf(Op::kEuler);
      if (ch == 'i') return leaf(Op::kImaginary);
      return variable(std::string(1, ch));
    }
    if (c == '\\') return command_primary();
    return fail();
  }

  std::string_view s_;
  Expression& e_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  bool too_deep_ = false;
  int depth_ = 0;
};

namespace {

// "[-]N \frac{a}{b}" with integers and a < b: a mixed number, N + a/b.
std::optional<Rational> mixed_number(std::string_view s) {
  std::size_t i = skip_spaces(s, 0);
  bool negative = false;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    i = skip_spaces(s, i + 1);
  }
  const std::size_t whole_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == whole_start) return std::nullopt;
  const std::size_t whole_end = i;
  i = skip_spaces(s, i);
  if (command_name(s, i < s.size() && s[i] == '\\' ? i : s.size()) != "frac") return std::nullopt;
  i += 5;
  auto integer_argument = [&](std::size_t& at) -> std::optional<Rational> {
    at = skip_spaces(s, at);
    if (at >= s.size()) return std::nullopt;
    if (is_digit(s[at])) return parse_decimal(&s[at++], 1);
    if (s[at] != '{') return std::nullopt;
    const std::size_t close = matching_brace(s, at);
    if (close == kNpos) return std::nullopt;
    const std::string_view inner = trim(s.substr(at + 1, close - at - 1));
    at = close + 1;
    if (inner.empty()) return std::nullopt;
    for (char c : inner)
      if (!is_digit(c)) return std::nullopt;
    return parse_decimal(inner.data(), inner.size());
  };
  const auto num = integer_argument(i);
  if (!num) return std::nullopt;
  const auto den = integer_argument(i);
  if (!den || skip_spaces(s, i) != s.size()) return std::nullopt;
  if (den->num == 0 || num->num >= den->num) return std::nullopt;
  const auto whole = parse_decimal(&s[whole_start], whole_end - whole_start);
  const auto fraction = divide(*num, *den);
  if (!whole || !fraction) return std::nullopt;
  const auto total = add(*whole, *fraction);
  if (!total) return std::nullopt;
  return negative ? subtract(Rational{0, 1}, *total) : total;
}

Value combine(const Value& x, const Value& y, std::optional<Rational> (*exact)(const Rational&, const Rational&),
              std::complex<double> (*approx)(std::complex<double>, std::complex<double>)) {
  if (x.exact && y.exact)
    if (auto r = exact(*x.exact, *y.exact)) return Value::of(*r);
  return Value::approx(approx(x.z, y.z));
}

bool is_real(std::complex<double> z) { return z.imag() == 0.0; }

Value power_value(const Value& x, const Value& y) {
  if (x.exact && y.exact) {
    const Rational e = *y.exact;
    if (e.is_integer()) {
      if (auto r = power(*x.exact, e.num)) return Value::of(*r);
    } else if (e.den <= 64) {
      if (auto root = exact_root(*x.exact, e.den))
        if (auto r = power(*root, e.num)) return Value::of(*r);
    }
  }
  if (is_real(x.z) && is_real(y.z)) {
    const double b = x.z.real(), p = y.z.real();
    if (b >= 0.0 || p == std::round(p)) return Value::approx(std::pow(b, p));
    // A negative base under an odd root is real: (-8)^{1/3} = -2.
    if (y.exact && y.exact->den % 2 == 1) {
      const double magnitude = std::pow(-b, p);
      return Value::approx(y.exact->num % 2 == 0 ? magnitude : -magnitude);
    }
  }
  return Value::approx(std::pow(x.z, y.z));
}

Value root_value(const Value& x, const Value& n) {
  if (n.exact && n.exact->is_integer() && n.exact->num > 0) {
    if (x.exact)
      if (auto r = exact_root(*x.exact, n.exact->num)) return Value::of(*r);
    if (is_real(x.z)) {
      const double b = x.z.real();
      const double inv = 1.0 / static_cast<double>(n.exact->num);
      if (b >= 0.0) return Value::approx(std::pow(b, inv));
      if (n.exact->num % 2 == 1) return Value::approx(-std::pow(-b, inv));
    }
  }
  return Value::approx(std::pow(x.z, 1.0 / n.z));
}

Value sqrt_value(const Value& x) {
  if (x.exact)
    if (auto r = exact_root(*x.exact, 2)) return Value::of(*r);
  if (is_real(x.z) && x.z.real() >= 0.0) return Value::approx(std::sqrt(x.z.real()));
  return Value::approx(std::sqrt(x.z));
}

Value factorial_value(const Value& x) {
  if (!x.exact || !x.exact->is_integer() || x.exact->num < 0 || x.exact->num > 20) return Value::approx(kNaN);
  std::int64_t f = 1;
  for (std::int64_t k = 2; k <= x.exact->num; ++k) f *= k;
  return Value::of(Rational{f, 1});
}

Value binomial_value(const Value& n, const Value& k) {
  if (!n.exact || !k.exact || !n.exact->is_integer() || !k.exact->is_integer()) return Value::approx(kNaN);
  const std::int64_t nn = n.exact->num, kk = k.exact->num;
  if (nn < 0 || nn > 66) return Value::approx(kNaN);
  if (kk < 0 || kk > nn) return Value::of(Rational{0, 1});
  UInt128 c = 1;
  for (std::int64_t j = 1; j <= kk; ++j) c = c * static_cast<std::uint64_t>(nn - kk + j) / static_cast<std::uint64_t>(j);
  if (c > static_cast<UInt128>(std::numeric_limits<std::int64_t>::max())) return Value::approx(kNaN);
  return Value::of(Rational{static_cast<std::int64_t>(c), 1});
}

// Real functions on real arguments inside their domain (no stray imaginary
// parts); the complex versions elsewhere.
Value function_value(Function f, const Value& v) {
  const std::complex<double> z = v.z;
  const bool real = is_real(z);
  const double x = z.real();
  switch (f) {
    case Function::kSin: return Value::approx(real ? std::sin(x) : std::sin(z));
    case Function::kCos: return Value::approx(real ? std::cos(x) : std::cos(z));
    case Function::kTan: return Value::approx(real ? std::tan(x) : std::tan(z));
    case Function::kCot: return Value::approx(real ? 1.0 / std::tan(x) : 1.0 / std::tan(z));
    case Function::kSec: return Value::approx(real ? 1.0 / std::cos(x) : 1.0 / std::cos(z));
    case Function::kCsc: return Value::approx(real ? 1.0 / std::sin(x) : 1.0 / std::sin(z));
    case Function::kArcsin: return Value::approx(real && std::fabs(x) <= 1.0 ? std::asin(x) : std::asin(z));
    case Function::kArccos: return Value::approx(real && std::fabs(x) <= 1.0 ? std::acos(x) : std::acos(z));
    case Function::kArctan: return Value::approx(real ? std::atan(x) : std::atan(z));
    case Function::kSinh: return Value::approx(real ? std::sinh(x) : std::sinh(z));
    case Function::kCosh: return Value::approx(real ? std::cosh(x) : std::cosh(z));
    case Function::kTanh: return Value::approx(real ? std::tanh(x) : std::tanh(z));
    case Function::kLn:
    case Function::kLog:  // natural, as in SymPy and math-verify
      return Value::approx(real && x > 0.0 ? std::log(x) : std::log(z));
    case Function::kExp: return Value::approx(real ? std::exp(x) : std::exp(z));
  }
  return Value::approx(kNaN);
}

}  // namespace

std::optional<Expression> Expression::parse(std::string_view text, bool* too_deep) {
  if (too_deep) *too_deep = false;
  Expression e;
  if (auto mixed = mixed_number(text)) {
    e.nodes_.push_back(Node{Op::kNumber, Function::kSin, -1, -1, -1, Value::of(*mixed)});
    e.root_ = 0;
    return e;
  }
  ExpressionParser parser(text, e);
  if (!parser.run()) {
    if (too_deep) *too_deep = parser.too_deep();
    return std::nullopt;
  }
  return e;
}

namespace {

// The value of one node from its operands' values (already computed).
Value node_value(const Node& n, const std::vector<Value>& done, const std::vector<std::complex<double>>& values) {
  switch (n.op) {
    case Op::kNumber: return n.number;
    case Op::kPi: return Value::approx(std::numbers::pi);
    case Op::kEuler: return Value::approx(std::numbers::e);
    case Op::kImaginary: return Value::approx({0.0, 1.0});
    case Op::kInfinity: return Value::approx(std::numeric_limits<double>::infinity());
    case Op::kVariable: return Value::approx(values[n.variable]);
    case Op::kNegate: {
      const Value v = done[n.a];
      if (v.exact)
        if (auto r = subtract(Rational{0, 1}, *v.exact)) return Value::of(*r);
      return Value::approx(-v.z);
    }
    case Op::kAdd:
      return combine(done[n.a], done[n.b], add,
                     [](std::complex<double> x, std::complex<double> y) { return x + y; });
    case Op::kSubtract:
      return combine(done[n.a], done[n.b], subtract,
                     [](std::complex<double> x, std::complex<double> y) { return x - y; });
    case Op::kMultiply:
      return combine(done[n.a], done[n.b], multiply,
                     [](std::complex<double> x, std::complex<double> y) {
                       // Plain real product keeps inf * 2 = inf (complex multiply gives NaN parts).
                       if (x.imag() == 0.0 && y.imag() == 0.0) return std::complex<double>(x.real() * y.real(), 0.0);
                       return x * y;
                     });
    case Op::kDivide:
      return combine(done[n.a], done[n.b], divide,
                     [](std::complex<double> x, std::complex<double> y) {
                       if (y == 0.0) return kNaN;  // 1/0 has no value (and is not 2/0)
                       if (x.imag() == 0.0 && y.imag() == 0.0) return std::complex<double>(x.real() / y.real(), 0.0);
                       return x / y;
                     });
    case Op::kPower: return power_value(done[n.a], done[n.b]);
    case Op::kSqrt: return sqrt_value(done[n.a]);
    case Op::kRoot: return root_value(done[n.b], done[n.a]);
    case Op::kFactorial: return factorial_value(done[n.a]);
    case Op::kBinomial: return binomial_value(done[n.a], done[n.b]);
    case Op::kAbs: {
      const Value v = done[n.a];
      if (v.exact) return Value::of(Rational{v.exact->num < 0 ? -v.exact->num : v.exact->num, v.exact->den});
      return Value::approx(std::abs(v.z));
    }
    case Op::kFunction: return function_value(n.function, done[n.a]);
    case Op::kLogBase: {
      const Value x = done[n.a], base = done[n.b];
      return Value::approx(function_value(Function::kLn, x).z / function_value(Function::kLn, base).z);
    }
  }
  return Value::approx(kNaN);
}

}  // namespace

Value Expression::evaluate_nodes(const std::vector<std::complex<double>>& values) const {
  std::vector<Value> done;
  done.reserve(nodes_.size());
  for (std::size_t i = 0; i <= static_cast<std::size_t>(root_); ++i) done.push_back(node_value(nodes_[i], done, values));
  return done[root_];
}

}  // namespace optscale::answers::detail
