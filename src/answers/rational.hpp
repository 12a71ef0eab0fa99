// Exact rational arithmetic for answer values: integers, decimals and fractions
// compare exactly (AIME "025" = 25, 0.5 = 1/2) instead of within a tolerance.
// Every operation returns nullopt when a result does not fit in 64 bits, and
// the caller falls back to floating point.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace optscale::answers::detail {

struct Rational {
  std::int64_t num = 0;
  std::int64_t den = 1;  // > 0; num/den in lowest terms

  double to_double() const { return static_cast<double>(num) / static_cast<double>(den); }
  bool is_integer() const { return den == 1; }
  // "p" for integers, "p/q" otherwise.
  std::string to_string() const;
  friend bool operator==(const Rational&, const Rational&) = default;
};

// num/den reduced, or nullopt for den == 0 or overflow.
std::optional<Rational> make_rational(std::int64_t num, std::int64_t den);

std::optional<Rational> add(const Rational& a, const Rational& b);
std::optional<Rational> subtract(const Rational& a, const Rational& b);
std::optional<Rational> multiply(const Rational& a, const Rational& b);
std::optional<Rational> divide(const Rational& a, const Rational& b);
// a^e for an integer exponent (|e| <= 4096); nullopt for 0^negative or overflow.
std::optional<Rational> power(const Rational& a, std::int64_t e);
// The exact n-th root when numerator and denominator are perfect n-th powers
// (odd n allows a negative value); nullopt otherwise.
std::optional<Rational> exact_root(const Rational& a, std::int64_t n);

// A decimal literal "123", "0.25", ".35625", "025" exactly; nullopt when it has
// too many digits for 64 bits.
std::optional<Rational> parse_decimal(const char* digits, std::size_t length);

}  // namespace optscale::answers::detail
