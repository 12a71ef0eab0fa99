#include "optscale/server/bearer_auth.hpp"

#include <gtest/gtest.h>

namespace optscale::server {
namespace {

TEST(ConstantTimeEqual, ComparesWholeStrings) {
  EXPECT_TRUE(constant_time_equal("secret-key", "secret-key"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("secret-kez", "secret-key"));
  EXPECT_FALSE(constant_time_equal("xecret-key", "secret-key"));
  EXPECT_FALSE(constant_time_equal("secret-ke", "secret-key"));    // a prefix
  EXPECT_FALSE(constant_time_equal("secret-keyy", "secret-key"));  // an extension
  EXPECT_FALSE(constant_time_equal("", "secret-key"));
  EXPECT_FALSE(constant_time_equal("secret-key", ""));
  // A given value that matches the key's bytes but carries a NUL after them.
  EXPECT_FALSE(constant_time_equal(std::string_view("secret-key\0", 11), "secret-key"));
}

TEST(BearerToken, ReadsTheTokenOfTheBearerScheme) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer abc"), "abc");
  EXPECT_EQ(bearer_token("  BEARER   abc  "), "abc");
  EXPECT_EQ(bearer_token("Bearer\tabc"), "abc");
  EXPECT_FALSE(bearer_token("Bearer"));
  EXPECT_FALSE(bearer_token("Bearer   "));
  EXPECT_FALSE(bearer_token("Bearerabc"));
  EXPECT_FALSE(bearer_token("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
  EXPECT_FALSE(bearer_token(""));
}

TEST(BearerAuth, DisabledWithoutAKey) {
  const BearerAuth auth;
  EXPECT_FALSE(auth.enabled());
  EXPECT_TRUE(auth.allows(""));
  EXPECT_TRUE(auth.allows("Bearer anything"));
}

TEST(BearerAuth, AllowsOnlyTheKey) {
  const BearerAuth auth("k-123");
  EXPECT_TRUE(auth.enabled());
  EXPECT_TRUE(auth.allows("Bearer k-123"));
  EXPECT_FALSE(auth.allows("Bearer k-124"));
  EXPECT_FALSE(auth.allows("Bearer k-12"));
  EXPECT_FALSE(auth.allows("k-123"));
  EXPECT_FALSE(auth.allows(""));
  EXPECT_FALSE(auth.allows("Basic k-123"));
}

}  // namespace
}  // namespace optscale::server
