#include "rational.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace optscale::answers::detail {
namespace {

__extension__ typedef __int128 Int128;

constexpr Int128 kMax = std::numeric_limits<std::int64_t>::max();

Int128 abs128(Int128 v) { return v < 0 ? -v : v; }

Int128 gcd128(Int128 a, Int128 b) {
  a = abs128(a);
  b = abs128(b);
  while (b != 0) {
    const Int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

std::optional<Rational> reduce(Int128 num, Int128 den) {
  if (den == 0) return std::nullopt;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const Int128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (abs128(num) > kMax || den > kMax) return std::nullopt;
  return Rational{static_cast<std::int64_t>(num), static_cast<std::int64_t>(den)};
}

// Exact integer n-th root of v >= 0, or -1 when v is not a perfect n-th power.
std::int64_t integer_root(std::int64_t v, std::int64_t n) {
  if (v < 2) return v;
  const double guess = std::round(std::pow(static_cast<double>(v), 1.0 / static_cast<double>(n)));
  for (std::int64_t r = static_cast<std::int64_t>(guess) - 1; r <= static_cast<std::int64_t>(guess) + 1; ++r) {
    if (r < 0) continue;
    Int128 p = 1;
    bool over = false;
    for (std::int64_t k = 0; k < n && !over; ++k) {
      p *= r;
      over = p > kMax;
    }
    if (!over && p == v) return r;
  }
  return -1;
}

}  // namespace

std::string Rational::to_string() const {
  return den == 1 ? std::to_string(num) : std::to_string(num) + "/" + std::to_string(den);
}

std::optional<Rational> make_rational(std::int64_t num, std::int64_t den) { return reduce(num, den); }

std::optional<Rational> add(const Rational& a, const Rational& b) {
  return reduce(static_cast<Int128>(a.num) * b.den + static_cast<Int128>(b.num) * a.den,
                static_cast<Int128>(a.den) * b.den);
}

std::optional<Rational> subtract(const Rational& a, const Rational& b) {
  return reduce(static_cast<Int128>(a.num) * b.den - static_cast<Int128>(b.num) * a.den,
                static_cast<Int128>(a.den) * b.den);
}

std::optional<Rational> multiply(const Rational& a, const Rational& b) {
  return reduce(static_cast<Int128>(a.num) * b.num, static_cast<Int128>(a.den) * b.den);
}

std::optional<Rational> divide(const Rational& a, const Rational& b) {
  if (b.num == 0) return std::nullopt;
  return reduce(static_cast<Int128>(a.num) * b.den, static_cast<Int128>(a.den) * b.num);
}

std::optional<Rational> power(const Rational& a, std::int64_t e) {
  if (e < -4096 || e > 4096) return std::nullopt;
  if (e == 0) return Rational{1, 1};
  if (e < 0) {
    if (a.num == 0) return std::nullopt;
    auto inverse = reduce(a.den, a.num);
    return inverse ? power(*inverse, -e) : std::nullopt;
  }
  Rational result{1, 1};
  Rational base = a;
  while (true) {
    if (e & 1) {
      auto r = multiply(result, base);
      if (!r) return std::nullopt;
      result = *r;
    }
    e >>= 1;
    if (e == 0) break;
    auto sq = multiply(base, base);
    if (!sq) return std::nullopt;
    base = *sq;
  }
  return result;
}

std::optional<Rational> exact_root(const Rational& a, std::int64_t n) {
  if (n <= 0 || n > 64) return std::nullopt;
  if (n == 1) return a;
  const bool negative = a.num < 0;
  if (negative && n % 2 == 0) return std::nullopt;
  const std::int64_t num_root = integer_root(negative ? -a.num : a.num, n);
  const std::int64_t den_root = integer_root(a.den, n);
  if (num_root < 0 || den_root < 0) return std::nullopt;
  return reduce(negative ? -num_root : num_root, den_root);
}

std::optional<Rational> parse_decimal(const char* digits, std::size_t length) {
  Int128 num = 0, den = 1;
  bool after_point = false;
  for (std::size_t i = 0; i < length; ++i) {
    const char c = digits[i];
    if (c == '.') {
      if (after_point) return std::nullopt;
      after_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    num = num * 10 + (c - '0');
    if (after_point) den *= 10;
    if (num > kMax || den > kMax) return std::nullopt;
  }
  return reduce(num, den);
}

}  // namespace optscale::answers::detail
