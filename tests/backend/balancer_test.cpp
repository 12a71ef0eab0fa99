// Least-outstanding balancing, per-endpoint limits and health tracking.
#include "optscale/backend/balancer.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "optscale/util/error.hpp"

namespace optscale::backend {
namespace {

struct FakeClock {
  Balancer::Clock::time_point now{};
  std::function<Balancer::Clock::time_point()> fn() {
    return [this] { return now; };
  }
};

TEST(Balancer, SpreadsByOutstandingThenRoundRobin) {
  Balancer balancer({"a", "b", "c"});
  std::vector<Balancer::Lease> held;
  for (int i = 0; i < 3; ++i) held.push_back(*balancer.try_acquire());
  EXPECT_EQ(held[0].index(), 0u);
  EXPECT_EQ(held[1].index(), 1u);
  EXPECT_EQ(held[2].index(), 2u);
  held.erase(held.begin() + 1);  // b now has the fewest outstanding
  EXPECT_EQ(balancer.try_acquire()->index(), 1u);
}

TEST(Balancer, RespectsThePerEndpointLimit) {
  Balancer balancer({"a", "b"}, 1);
  auto first = balancer.try_acquire();
  auto second = balancer.try_acquire();
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(balancer.try_acquire());
  first.reset();
  EXPECT_EQ(balancer.try_acquire()->index(), 0u);
}

TEST(Balancer, AvoidsAnEndpointThatKeepsFailingUntilItsCoolDownEnds) {
  FakeClock clock;
  Balancer balancer({"bad", "good"}, 0, clock.fn());
  for (int i = 0; i < Balancer::kFailuresBeforeUnhealthy; ++i) {
    auto lease = balancer.try_acquire();
    while (lease->index() != 0) lease = balancer.try_acquire();
    lease->failed();
  }
  EXPECT_FALSE(balancer.stats()[0].healthy);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(balancer.try_acquire()->index(), 1u);
  clock.now += std::chrono::seconds(2);
  EXPECT_TRUE(balancer.stats()[0].healthy);
  auto probe = balancer.try_acquire();
  EXPECT_EQ(probe->index(), 0u);  // fewer requests served, so it is tried again
  probe->succeeded();
  EXPECT_EQ(balancer.stats()[0].failures, 3);
}

TEST(Balancer, ProbesTheBestRestedEndpointWhenNoneIsHealthy) {
  FakeClock clock;
  Balancer balancer({"a", "b"}, 0, clock.fn());
  for (std::size_t target : {1u, 0u}) {
    for (int i = 0; i < Balancer::kFailuresBeforeUnhealthy; ++i) {
      auto lease = balancer.try_acquire();
      while (lease->index() != target) lease = balancer.try_acquire();
      lease->failed();
    }
    clock.now += std::chrono::milliseconds(100);
  }
  EXPECT_FALSE(balancer.stats()[0].healthy);
  EXPECT_FALSE(balancer.stats()[1].healthy);
  EXPECT_EQ(balancer.try_acquire()->index(), 1u);  // its cool-down ends first
}

TEST(Balancer, AcquireWaitsForRoomAndStopsWhenCancelled) {
  Balancer balancer({"a"}, 1);
  auto held = balancer.try_acquire();
  std::atomic<bool> cancel{false};
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    held.reset();
  });
  auto waited = balancer.acquire(&cancel);
  releaser.join();
  ASSERT_TRUE(waited);
  cancel = true;
  EXPECT_FALSE(balancer.acquire(&cancel));
}

TEST(Balancer, NeedsAnEndpoint) { EXPECT_THROW(Balancer({}), Error); }

}  // namespace
}  // namespace optscale::backend
