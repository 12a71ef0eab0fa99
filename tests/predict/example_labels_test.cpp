// examples/predictor-labels.jsonl is the tests' synthetic_labels(60), so the
// commands docs/predictor.md runs on it behave as the tests say.
#include <gtest/gtest.h>

#include <filesystem>

#include "optscale/predict/labels.hpp"
#include "synthetic_labels.hpp"

namespace optscale::testing {
namespace {

TEST(ExampleLabels, AreTheTestsSyntheticLabels) {
  const auto path = std::filesystem::path(OPTSCALE_SOURCE_DIR) / "examples" / "predictor-labels.jsonl";
  const auto shipped = predict::read_labels(path);
  const auto expected = synthetic_labels(60);
  ASSERT_EQ(shipped.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(shipped[i].id, expected[i].id);
    EXPECT_EQ(shipped[i].problem, expected[i].problem);
    EXPECT_NEAR(shipped[i].mu, expected[i].mu, 1e-9) << i;
    EXPECT_NEAR(shipped[i].sigma, expected[i].sigma, 1e-9) << i;
  }
}

}  // namespace
}  // namespace optscale::testing
