#include "optscale/server/bearer_auth.hpp"

#include <cctype>

namespace optscale::server {

bool constant_time_equal(std::string_view given, std::string_view expected) {
  // Differences accumulate with OR; no branch depends on the bytes compared.
  volatile unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    difference = difference | (g ^ static_cast<unsigned char>(expected[i]));
  }
  return difference == 0;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!authorization.empty() && is_space(authorization.front())) authorization.remove_prefix(1);
  while (!authorization.empty() && is_space(authorization.back())) authorization.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() || !is_space(authorization[kScheme.size()])) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return std::nullopt;
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && is_space(token.front())) token.remove_prefix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

BearerAuth::BearerAuth(std::string key) : key_(std::move(key)) {}

bool BearerAuth::allows(std::string_view authorization) const {
  if (!enabled()) return true;
  const auto token = bearer_token(authorization);
  // A missing token is still compared, so its absence is not faster to learn.
  return constant_time_equal(token.value_or(std::string_view{}), key_) && token.has_value();
}

}  // namespace optscale::server
