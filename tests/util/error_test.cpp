// require() names where and what, and builds its message only on failure;
// internal invariants are InvariantErrors (bugs), not user errors.
#include "optscale/util/error.hpp"

#include <gtest/gtest.h>

#include "optscale/util/invariant.hpp"

namespace optscale {
namespace {

TEST(Require, NamesWhereAndWhat) {
  EXPECT_NO_THROW(require(true, "--budget", "must be positive"));
  try {
    require(false, std::string("--budget"), "must be positive");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--budget: must be positive");
  }
}

TEST(Require, BuildsItsMessageOnlyOnFailure) {
  int built = 0;
  auto message = [&] {
    ++built;
    return "got " + std::to_string(42);
  };
  require(true, "where", message);
  require(true, [&] { ++built; return std::string("where"); }, message);
  EXPECT_EQ(built, 0);
  try {
    require(false, [&] { ++built; return std::string("problem 'p1'"); }, message);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "problem 'p1': got 42");
  }
  EXPECT_EQ(built, 2);
}

TEST(Invariant, IsAnInternalErrorNamingTheConditionAndPlace) {
  int built = 0;
  auto detail = [&] {
    ++built;
    return std::string("draw 3");
  };
  OPTSCALE_INVARIANT(1 + 1 == 2, detail());
  EXPECT_EQ(built, 0);
  try {
    OPTSCALE_INVARIANT(1 + 1 == 3, detail());
    FAIL();
  } catch (const Error&) {
    FAIL() << "an invariant is not a user error";
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("invariant `1 + 1 == 3` broken at "), std::string::npos) << what;
    EXPECT_NE(what.find("error_test.cpp:"), std::string::npos) << what;
    EXPECT_NE(what.find(": draw 3"), std::string::npos) << what;
    EXPECT_EQ(exception_message(std::current_exception()).rfind("internal error: invariant", 0), 0u);
  }
  EXPECT_EQ(built, 1);
}

}  // namespace
}  // namespace optscale
