#include "optscale/predict/target_transform.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

TEST(TargetTransform, ForwardAndInverseAgree) {
  for (const char* spec : {"identity", "log-gap:0.02", "log:0.1"}) {
    const auto t = TargetTransform::parse(spec);
    for (double y : {0.0, 0.3, 0.93, 0.999, 1.01}) {
      if (t.kind == TargetTransform::Kind::log_gap && y >= 1.02) continue;
      EXPECT_NEAR(t.inverse(t.forward(y)), y, 1e-14) << spec << " y=" << y;
    }
  }
}

TEST(TargetTransform, Values) {
  EXPECT_NEAR(TargetTransform::parse("log-gap:0.02").forward(0.9), std::log(0.12), 1e-15);
  EXPECT_NEAR(TargetTransform::parse("log:0.1").forward(0.05), std::log(0.15), 1e-15);
  // The log transform keeps sigma above -offset whatever the linear prediction
  // (the model then applies its sigma floor).
  EXPECT_GT(TargetTransform::parse("log:0.1").inverse(-5.0), -0.1);
  EXPECT_GE(TargetTransform::parse("log:0.1").inverse(-50.0), -0.1);
}

TEST(TargetTransform, SpecRoundTrips) {
  for (const char* spec : {"identity", "log-gap:0.02", "log:0.1"}) {
    EXPECT_EQ(TargetTransform::parse(TargetTransform::parse(spec).to_string()).to_string(),
              TargetTransform::parse(spec).to_string());
  }
}

TEST(TargetTransform, RejectsBadSpecsAndOutOfDomainValues) {
  for (const char* spec : {"", "log", "log-gap", "log:", "log:-1", "log:0", "log:abc", "log:1x",
                           "sqrt:1", "log-gap:nan"}) {
    EXPECT_THROW(TargetTransform::parse(spec), Error) << spec;
  }
  EXPECT_THROW(TargetTransform::parse("log-gap:0.02").forward(1.5, "label 3 mu"), Error);
  EXPECT_THROW(TargetTransform::parse("log:0.1").forward(-0.2), Error);
  try {
    TargetTransform::parse("log-gap:0.02").forward(1.5, "label 3 mu");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("label 3 mu"), std::string::npos);
  }
}

}  // namespace
}  // namespace optscale::predict
