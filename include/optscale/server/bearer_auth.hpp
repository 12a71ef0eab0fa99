// Client authentication: "Authorization: Bearer <key>" checked against the
// configured key in time that does not depend on where the two first differ,
// so the key cannot be guessed byte by byte from response times.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace optscale::server {

// True when `a` == `b`. Runs over every byte of `expected` whatever `given`
// is, so the time depends only on the length of the secret.
bool constant_time_equal(std::string_view given, std::string_view expected);

// The token of an "Authorization" header value ("Bearer <token>", scheme
// case-insensitive, surrounding spaces ignored); nullopt for anything else.
std::optional<std::string_view> bearer_token(std::string_view authorization);

class BearerAuth {
 public:
  // An empty key disables authentication.
  explicit BearerAuth(std::string key = {});
  bool enabled() const { return !key_.empty(); }
  // Whether a request with this Authorization header value may pass.
  bool allows(std::string_view authorization) const;

 private:
  std::string key_;
};

}  // namespace optscale::server
