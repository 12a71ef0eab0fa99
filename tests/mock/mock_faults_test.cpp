// Seeded fault injection: same seed and request -> same fate, retries draw
// afresh, rates are honoured, bursts last their length, specs are checked.
#include "optscale/mock/mock_faults.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "optscale/mock/hashed_embedding.hpp"
#include "optscale/util/error.hpp"

namespace optscale::mock {
namespace {

// (String + to_string trips a GCC 12 -Wrestrict false positive.)
std::string key(const char* prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

TEST(LatencyModel, ParsesEverySpecAndRejectsBadOnes) {
  EXPECT_EQ(LatencyModel::parse("0").kind, LatencyModel::Kind::none);
  EXPECT_EQ(LatencyModel::parse("fixed:5").sample_ms(0.3, 0.7), 5.0);
  EXPECT_DOUBLE_EQ(LatencyModel::parse("uniform:2,4").sample_ms(0.5, 0.1), 3.0);
  EXPECT_NEAR(LatencyModel::parse("exponential:10").sample_ms(std::exp(-1.0), 0.5), 10.0, 1e-12);
  EXPECT_NEAR(LatencyModel::parse("lognormal:8,0.5").sample_ms(std::exp(-0.5 * 0.0), 0.25), 8.0, 1e-9);
  EXPECT_THROW(LatencyModel::parse("fixed"), Error);
  EXPECT_THROW(LatencyModel::parse("fixed:-1"), Error);
  EXPECT_THROW(LatencyModel::parse("uniform:4,2"), Error);
  EXPECT_THROW(LatencyModel::parse("gamma:1"), Error);
  EXPECT_THROW(LatencyModel::parse("fixed:1,2"), Error);
}

TEST(FaultInjector, SameSeedAndRequestGiveTheSameFates) {
  FaultOptions options;
  options.seed = 7;
  options.error_rate = 0.3;
  options.latency = LatencyModel::parse("uniform:1,9");
  FaultInjector a(options), b(options);
  for (int i = 0; i < 50; ++i) {
    std::string request = key("request ", i % 10);
    FaultDecision x = a.decide(request), y = b.decide(request);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.latency_ms, y.latency_ms);
  }
}

TEST(FaultInjector, RetriesOfARequestDrawAfreshSoEveryRequestEventuallyPasses) {
  FaultOptions options;
  options.seed = 1;
  options.error_rate = 0.5;
  FaultInjector injector(options);
  for (int i = 0; i < 20; ++i) {
    std::string request = key("body ", i);
    int attempts = 1;
    while (injector.decide(request).kind != FaultKind::none) ++attempts;
    EXPECT_LT(attempts, 40);
  }
}

TEST(FaultInjector, RatesAreHonoured) {
  FaultOptions options;
  options.seed = 3;
  options.error_rate = 0.1;
  options.hang_rate = 0.05;
  options.malformed_rate = 0.1;
  options.drop_rate = 0.05;
  FaultInjector injector(options);
  std::map<FaultKind, int> counts;
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++counts[injector.decide(key("r", i)).kind];
  EXPECT_NEAR(counts[FaultKind::server_error] / double(n), 0.10, 0.01);
  EXPECT_NEAR(counts[FaultKind::hang] / double(n), 0.05, 0.01);
  EXPECT_NEAR(counts[FaultKind::malformed] / double(n), 0.10, 0.01);
  EXPECT_NEAR(counts[FaultKind::drop] / double(n), 0.05, 0.01);
  EXPECT_NEAR(counts[FaultKind::none] / double(n), 0.70, 0.015);
}

TEST(FaultInjector, ABurstAnswers429ForItsLength) {
  FaultOptions options;
  options.seed = 11;
  options.burst_rate = 0.01;
  options.burst_length = 4;
  FaultInjector injector(options);
  int i = 0;
  while (injector.decide(key("k", i)).kind != FaultKind::rate_limited) ++i;
  for (int j = 1; j < 4; ++j) {
    FaultDecision d = injector.decide(key("k", i + j));
    EXPECT_EQ(d.kind, FaultKind::rate_limited);
    EXPECT_EQ(d.status, 429);
  }
}

TEST(FaultOptions, RejectsRatesOutsideTheUnitIntervalOrSummingAboveOne) {
  FaultOptions options;
  options.error_rate = 1.5;
  EXPECT_THROW(options.validate(), Error);
  options.error_rate = 0.6;
  options.drop_rate = 0.6;
  EXPECT_THROW(options.validate(), Error);
  options.drop_rate = 0.1;
  options.burst_length = 0;
  EXPECT_THROW(options.validate(), Error);
}

TEST(HashedEmbedding, SharedWordsMakeVectorsCloser) {
  auto dot = [](const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
  };
  auto a = hashed_embedding("Find the area of the triangle", 256);
  auto b = hashed_embedding("find the AREA of the circle", 256);
  auto c = hashed_embedding("Solve 3x + 5 = 11 for x", 256);
  EXPECT_GT(dot(a, b), dot(a, c));
  EXPECT_EQ(hashed_embedding("", 4), (std::vector<double>{1, 0, 0, 0}));
  EXPECT_THROW(hashed_embedding("x", 0), Error);
}

// Pinned before the hashes moved to util/hash.hpp: the mock's embeddings must not move.
TEST(HashedEmbedding, IsPinned) {
  const std::vector<double> v = hashed_embedding("Find the area of the triangle", 8);
  const double a = 1.0 / std::sqrt(7.0);
  const std::vector<double> expected{0, 0, -a, a, a, 2 * a, 0, 0};
  ASSERT_EQ(v.size(), expected.size());
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], expected[i], 1e-12) << i;
}

}  // namespace
}  // namespace optscale::mock
