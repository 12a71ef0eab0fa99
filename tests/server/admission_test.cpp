// Bounded concurrency and request cancellation: the concurrency limit and
// the deadline watch (deadlines, shutdown, clients that hang up).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "optscale/server/concurrency_limit.hpp"
#include "optscale/server/deadline_watch.hpp"
#include "optscale/util/error.hpp"

namespace optscale::server {
namespace {

using namespace std::chrono_literals;

TEST(ConcurrencyLimit, GivesAtMostLimitPermitsAndTakesThemBack) {
  ConcurrencyLimit limit(2);
  std::optional<ConcurrencyLimit::Permit> a = limit.try_acquire();
  std::optional<ConcurrencyLimit::Permit> b = limit.try_acquire();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(limit.in_use(), 2);
  EXPECT_FALSE(limit.try_acquire());
  a.reset();
  EXPECT_EQ(limit.in_use(), 1);
  std::optional<ConcurrencyLimit::Permit> c = limit.try_acquire();
  EXPECT_TRUE(c);
  // A moved-from permit does not release twice.
  ConcurrencyLimit::Permit moved = std::move(*b);
  b.reset();
  EXPECT_EQ(limit.in_use(), 2);
  EXPECT_THROW(ConcurrencyLimit(0), Error);
}

TEST(ConcurrencyLimit, NeverOverCommitsUnderContention) {
  ConcurrencyLimit limit(3);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto permit = limit.try_acquire();
        if (!permit) continue;
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --inside;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(limit.in_use(), 0);
}

TEST(DeadlineWatch, RaisesTheFlagOfAnExpiredRequestOnly) {
  DeadlineWatch watch;
  const auto now = DeadlineWatch::Clock::now();
  DeadlineWatch::Ticket soon = watch.watch(now + 20ms);
  DeadlineWatch::Ticket later = watch.watch(now + 1h);
  EXPECT_EQ(watch.watched(), 2u);
  while (!soon.cancelled()) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(soon.flag()->load());
  EXPECT_EQ(soon.reason(), CancelReason::deadline);
  EXPECT_FALSE(later.cancelled());
  EXPECT_EQ(later.reason(), CancelReason::none);
}

TEST(DeadlineWatch, AnEarlierDeadlineWakesTheWatcher) {
  DeadlineWatch watch;
  DeadlineWatch::Ticket far = watch.watch(DeadlineWatch::Clock::now() + 1h);
  DeadlineWatch::Ticket near = watch.watch(DeadlineWatch::Clock::now() + 10ms);
  while (!near.cancelled()) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(far.cancelled());
}

TEST(DeadlineWatch, CancelAllIsShutdownForCurrentAndLaterTickets) {
  DeadlineWatch watch;
  DeadlineWatch::Ticket before = watch.watch(DeadlineWatch::Clock::now() + 1h);
  watch.cancel_all();
  EXPECT_TRUE(before.cancelled());
  EXPECT_EQ(before.reason(), CancelReason::shutdown);
  DeadlineWatch::Ticket after = watch.watch(DeadlineWatch::Clock::now() + 1h);
  EXPECT_TRUE(after.cancelled());
  EXPECT_EQ(after.reason(), CancelReason::shutdown);
}

TEST(DeadlineWatch, FinishedRequestsAreForgotten) {
  DeadlineWatch watch;
  {
    DeadlineWatch::Ticket a = watch.watch(DeadlineWatch::Clock::now() + 1h);
    DeadlineWatch::Ticket b = std::move(a);
    EXPECT_EQ(watch.watched(), 1u);
  }
  EXPECT_EQ(watch.watched(), 0u);
  {
    DeadlineWatch::Ticket expired = watch.watch(DeadlineWatch::Clock::now());
    while (!expired.cancelled()) std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(watch.watched(), 0u);
}


// A socket pair stands for a client connection: `client` is the client's end.
struct SocketPair {
  int server = -1, client = -1;
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0) {
      server = fds[0];
      client = fds[1];
    }
  }
  ~SocketPair() {
    if (server >= 0) ::close(server);
    if (client >= 0) ::close(client);
  }
  void close_client() {
    ::close(client);
    client = -1;
  }
};

TEST(DeadlineWatch, AClientThatHangsUpCancelsItsRequestOnly) {
  DeadlineWatch watch;
  SocketPair gone, staying;
  ASSERT_GE(gone.server, 0);
  ASSERT_GE(staying.server, 0);
  DeadlineWatch::Ticket left = watch.watch(DeadlineWatch::Clock::now() + 1h, gone.server);
  DeadlineWatch::Ticket waiting = watch.watch(DeadlineWatch::Clock::now() + 1h, staying.server);
  // Data sent ahead (a pipelined request) is not a hang-up.
  ASSERT_EQ(::write(staying.client, "GET / HTTP/1.1\r\n", 16), 16);
  gone.close_client();
  while (!left.cancelled()) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(left.reason(), CancelReason::client_closed);
  std::this_thread::sleep_for(50ms);  // room for a wrong cancellation to show
  EXPECT_FALSE(waiting.cancelled());
  EXPECT_EQ(waiting.reason(), CancelReason::none);
}

TEST(DeadlineWatch, TheFirstReasonWins) {
  DeadlineWatch watch;
  SocketPair pair;
  ASSERT_GE(pair.server, 0);
  DeadlineWatch::Ticket ticket = watch.watch(DeadlineWatch::Clock::now() + 1h, pair.server);
  watch.cancel_all();
  pair.close_client();
  EXPECT_EQ(ticket.reason(), CancelReason::shutdown);
}

}  // namespace
}  // namespace optscale::server
