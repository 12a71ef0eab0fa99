// answers_equivalent and canonical_key: comparing and keying read answers
// (structure.hpp). The rules are listed in docs/answers.md.
#include <algorithm>
#include <cmath>
#include <complex>
#include <initializer_list>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/answers/answers.hpp"
#include "optscale/util/hash.hpp"
#include "structure.hpp"

namespace optscale::answers {
namespace {

using detail::Answer;
using detail::Expression;
using detail::Rational;
using detail::Value;
using Kind = Answer::Kind;

// Relative tolerance when either value is not an exact rational (pi, roots,
// a decimal against a radical): six significant digits, like math-verify's
// rounding, so 1.414214 = \sqrt2 but 1.4142 != \sqrt2.
constexpr double kNumericTolerance = 1e-6;
// Relative tolerance per point when expressions with variables are compared
// by evaluation (both sides are formulas, no human rounding).
constexpr double kIdentityTolerance = 1e-7;
// Absolute floor for inexact values near zero (\sin\pi = 0).
constexpr double kAbsoluteFloor = 1e-12;
constexpr int kPoints = 3;

// The value a variable takes at evaluation point `point`: a pseudo-random
// non-integer in [0.6, 2.4) derived from its name, so both sides agree.
std::complex<double> point_value(const std::string& name, int point) {
  // FNV-1a from its own (historical, non-standard) basis, then the SplitMix64
  // mixer at point + 1 golden gammas: kept bit for bit (tests/util/hash_test.cpp).
  const std::uint64_t h = util::mix64(util::fnv1a64(name, 1469598103934665603ull) +
                                      static_cast<std::uint64_t>(point + 1) * util::kGoldenGamma);
  const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
  return {0.6 + 1.8 * u, 0.0};
}

bool is_finite(std::complex<double> z) { return std::isfinite(z.real()) && std::isfinite(z.imag()); }

Value scaled(const Value& v, const Rational* scale) {
  if (scale == nullptr) return v;
  if (v.exact)
    if (auto r = detail::multiply(*v.exact, *scale)) return Value::of(*r);
  return Value::approx(v.z * scale->to_double());
}

bool values_close(const Value& x, const Value& y, double tolerance) {
  if (x.exact && y.exact) return *x.exact == *y.exact;
  const std::complex<double> a = x.z, b = y.z;
  if (std::isnan(a.real()) || std::isnan(a.imag()) || std::isnan(b.real()) || std::isnan(b.imag())) return false;
  if (!is_finite(a) || !is_finite(b)) return a == b;  // +inf = +inf, -inf = -inf
  const double diff = std::abs(a - b);
  return diff <= tolerance * std::max(std::abs(a), std::abs(b)) || diff <= kAbsoluteFloor;
}

template <class Visit>
void for_each_point(Visit visit) {
  for (int k = 0; k < kPoints; ++k) visit([k](const std::string& name) { return point_value(name, k); });
}

// Equal values (constants), or equal at every evaluation point (with variables).
bool expressions_equal(const Expression& a, const Expression& b, const Rational* scale_a = nullptr) {
  if (!a.has_variables() && !b.has_variables())
    return values_close(scaled(a.evaluate(), scale_a), b.evaluate(), kNumericTolerance);
  int compared = 0;
  bool equal = true;
  for_each_point([&](const auto& point) {
    if (!equal) return;
    const Value va = scaled(a.evaluate(point), scale_a), vb = b.evaluate(point);
    const bool fa = is_finite(va.z), fb = is_finite(vb.z);
    if (!fa && !fb) return;  // a pole of both at this point: no evidence
    if (fa != fb || !values_close(va, vb, kIdentityTolerance)) {
      equal = false;
      return;
    }
    ++compared;
  });
  return equal && compared >= 2;
}

bool answers_match(const Answer& a, const Answer& b);
std::vector<std::string> item_keys(const std::vector<Answer>& items, bool as_set);

// Sets longer than this (a list of 1000 numbers) compare by their sorted keys
// instead of by matching, which is quadratic.
constexpr std::size_t kMaxMatchedSet = 64;

bool sets_equal(const std::vector<Answer>& a, const std::vector<Answer>& b);

// A perfect matching between two equally long lists under answers_match
// (Kuhn's augmenting paths; the lists are short).
bool unordered_match(const std::vector<Answer>& a, const std::vector<Answer>& b) {
  if (a.size() != b.size()) return false;
  const std::size_t n = a.size();
  std::vector<char> match(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) match[i * n + j] = answers_match(a[i], b[j]) ? 1 : 0;
  std::vector<int> owner(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<char> seen(n, 0);
    auto augment = [&](auto&& self, std::size_t row) -> bool {
      for (std::size_t j = 0; j < n; ++j) {
        if (!match[row * n + j] || seen[j]) continue;
        seen[j] = 1;
        if (owner[j] < 0 || self(self, static_cast<std::size_t>(owner[j]))) {
          owner[j] = static_cast<int>(row);
          return true;
        }
      }
      return false;
    };
    if (!augment(augment, i)) return false;
  }
  return true;
}

// A set's distinct elements ({1, 1, 2} = {1, 2}; "2, 2" = 2).
std::vector<Answer> distinct(const std::vector<Answer>& items) {
  std::vector<Answer> out;
  for (const Answer& item : items) {
    bool seen = false;
    for (const Answer& kept : out) seen = seen || answers_match(kept, item);
    if (!seen) out.push_back(item);
  }
  return out;
}

bool ordered_match(const std::vector<Answer>& a, const std::vector<Answer>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!answers_match(a[i], b[i])) return false;
  return true;
}

// Same sides (either way round), or lhs - rhs proportional with a nonzero
// constant ratio (5x - 7y + 4 = 0 is -5x + 7y - 4 = 0).
bool equations_equal(const Answer& a, const Answer& b) {
  const Expression& l1 = *a.items[0].expression;
  const Expression& r1 = *a.items[1].expression;
  const Expression& l2 = *b.items[0].expression;
  const Expression& r2 = *b.items[1].expression;
  if (expressions_equal(l1, l2) && expressions_equal(r1, r2)) return true;
  if (expressions_equal(l1, r2) && expressions_equal(r1, l2)) return true;
  if (!l1.has_variables() && !r1.has_variables()) return false;
  std::complex<double> ratio0;
  bool proportional = true;
  int k = 0;
  for_each_point([&](const auto& point) {
    const std::complex<double> d1 = l1.evaluate(point).z - r1.evaluate(point).z;
    const std::complex<double> d2 = l2.evaluate(point).z - r2.evaluate(point).z;
    if (!is_finite(d1) || !is_finite(d2) || std::abs(d2) <= kAbsoluteFloor || std::abs(d1) <= kAbsoluteFloor) {
      proportional = false;
      return;
    }
    const std::complex<double> ratio = d1 / d2;
    if (k++ == 0) {
      ratio0 = ratio;
    } else if (std::abs(ratio - ratio0) > kIdentityTolerance * std::abs(ratio0)) {
      proportional = false;
    }
  });
  return proportional;
}

bool answers_match(const Answer& a, const Answer& b) {
  if (a.kind == Kind::kEmpty || b.kind == Kind::kEmpty) return false;
  if (a.kind == Kind::kSet && b.kind != Kind::kSet) {
    if (a.items.empty() || a.items.size() > kMaxMatchedSet) return false;
    const std::vector<Answer> items = distinct(a.items);
    return items.size() == 1 && answers_match(items[0], b);
  }
  if (b.kind == Kind::kSet && a.kind != Kind::kSet) return answers_match(b, a);
  if (a.kind != b.kind) return a.text == b.text;
  switch (a.kind) {
    case Kind::kChoice: return a.choice == b.choice;
    case Kind::kExpression: return a.text == b.text || expressions_equal(*a.expression, *b.expression);
    case Kind::kText:
    case Kind::kRaw: return a.text == b.text;
    case Kind::kTuple: return a.open == b.open && a.close == b.close && ordered_match(a.items, b.items);
    case Kind::kSet: return sets_equal(a.items, b.items);
    case Kind::kUnion: return unordered_match(a.items, b.items);
    case Kind::kMatrix: return a.rows == b.rows && a.cols == b.cols && ordered_match(a.items, b.items);
    case Kind::kEquation: return equations_equal(a, b);
    case Kind::kEmpty: return false;
  }
  return false;
}

// Appends the pieces (GCC 12 warns falsely, -Wrestrict, on chains of operator+).
std::string concat(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (std::string_view p : pieces) out += p;
  return out;
}

bool sets_equal(const std::vector<Answer>& a, const std::vector<Answer>& b) {
  if (a.size() > kMaxMatchedSet || b.size() > kMaxMatchedSet) return item_keys(a, true) == item_keys(b, true);
  return unordered_match(distinct(a), distinct(b));
}

// Nine significant digits, written as LaTeX the reader takes back:
// "3.14159265", or "3.14159265\\times10^{9}" where printf would use e-notation.
std::string format_double(double x) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.9g", x == 0.0 ? 0.0 : x);  // no "-0"
  const std::string_view text(buffer);
  const std::size_t e = text.find('e');
  if (e == std::string_view::npos) return std::string(text);
  const int exponent = std::atoi(buffer + e + 1);
  return concat({text.substr(0, e), "\\times10^{", std::to_string(exponent), "}"});
}

// Exact rationals as "p" or "p/q"; other finite values rounded to 9
// significant digits behind "~" (read back as a space), except that values
// within 1e-12 of an integer key as that integer (\\log_2 8 = 3); real
// infinities as \\infty. nullopt for values without a number key (NaN).
std::optional<std::string> number_key(const Value& v) {
  if (v.exact) return v.exact->to_string();
  std::complex<double> z = v.z;
  if (std::isnan(z.real()) || std::isnan(z.imag())) return std::nullopt;
  if (!is_finite(z)) {
    if (!std::isfinite(z.imag()) || z.imag() != 0.0) return std::nullopt;
    return std::string(z.real() > 0 ? "\\infty" : "-\\infty");
  }
  const double magnitude = std::abs(z);
  if (std::fabs(z.imag()) <= kAbsoluteFloor * std::max(1.0, magnitude)) z = {z.real(), 0.0};
  const double r = z.real();
  const double n = std::round(r);
  if (z.imag() == 0.0 && std::fabs(r - n) <= kAbsoluteFloor * std::max(1.0, std::fabs(r)) && std::fabs(n) < 9.0e15)
    return std::to_string(static_cast<long long>(n));
  std::string key = concat({"~", format_double(r)});
  if (z.imag() != 0.0) key += concat({z.imag() > 0 ? "+" : "", format_double(z.imag()), "i"});
  return key;
}

std::string key_of(const Answer& a);

// Item keys; `as_set` sorts them and drops repeats.
std::vector<std::string> item_keys(const std::vector<Answer>& items, bool as_set) {
  std::vector<std::string> keys;
  keys.reserve(items.size());
  for (const Answer& item : items) keys.push_back(key_of(item));
  if (as_set) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  }
  return keys;
}

std::string join(const std::vector<std::string>& keys, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += separator;
    out += keys[i];
  }
  return out;
}

std::string key_of(const Answer& a) {
  switch (a.kind) {
    case Kind::kEmpty: return "";
    case Kind::kChoice: return concat({"(", std::string_view(&a.choice, 1), ")"});
    case Kind::kExpression: {
      // Constants by value; expressions with variables by their normalised
      // text (a key must read back as an equivalent answer).
      if (a.expression->has_variables()) return a.text;
      return number_key(a.expression->evaluate()).value_or(a.text);
    }
    case Kind::kText:
    case Kind::kRaw: return a.text;
    case Kind::kTuple:
      return concat({std::string_view(&a.open, 1), join(item_keys(a.items, false), ","), std::string_view(&a.close, 1)});
    case Kind::kSet: {
      const std::vector<std::string> keys = item_keys(a.items, true);
      // A one-element set keys as its element ("\{5\}" and "2, 2" as 5 and 2).
      if (keys.size() == 1) return keys[0];
      return concat({"\\{", join(keys, ","), "\\}"});
    }
    case Kind::kUnion: return join(item_keys(a.items, true), "\\cup");
    case Kind::kMatrix: {
      std::string key = "\\begin{matrix}";
      for (int r = 0; r < a.rows; ++r) {
        if (r > 0) key += "\\\\";
        for (int c = 0; c < a.cols; ++c) {
          if (c > 0) key += "&";
          key += key_of(a.items[static_cast<std::size_t>(r * a.cols + c)]);
        }
      }
      return concat({key, "\\end{matrix}"});
    }
    case Kind::kEquation: return concat({key_of(a.items[0]), "=", key_of(a.items[1])});
  }
  return a.text;
}

}  // namespace

bool answers_equivalent(std::string_view a, std::string_view b) {
  const Answer x = detail::read_answer(a);
  const Answer y = detail::read_answer(b);
  if (x.kind == Kind::kEmpty || y.kind == Kind::kEmpty) return false;
  if (x.text == y.text) return true;
  if (x.percent != y.percent && x.kind == Kind::kExpression && y.kind == Kind::kExpression) {
    // p% against a plain number x: x = p (the percent sign was decoration) or x = p/100.
    const Answer& p = x.percent ? x : y;
    const Answer& q = x.percent ? y : x;
    static const Rational kHundredth{1, 100};
    return expressions_equal(*p.expression, *q.expression) ||
           expressions_equal(*p.expression, *q.expression, &kHundredth);
  }
  return answers_match(x, y);
}

std::string canonical_key(std::string_view answer) { return key_of(detail::read_answer(answer)); }

std::optional<std::string> answer_depth_note(std::string_view answer) {
  if (!detail::read_answer(answer).too_deep) return std::nullopt;
  return "nested deeper than the answer reader's limits (" + std::to_string(detail::Expression::kMaxDepth) +
         " levels of groups, \\sqrt/\\frac arguments and signs in an expression; 16 levels of sets, tuples "
         "and matrices): compared as normalised text";
}

}  // namespace optscale::answers
