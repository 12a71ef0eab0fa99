// LiveBody: a relayed body's pieces from the relaying thread to the writer,
// in order, with a bound on what waits in between.
#include "optscale/server/live_body.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "optscale/util/invariant.hpp"

namespace optscale::server {
namespace {

TEST(LiveBody, PiecesArriveInOrderAfterTheHead) {
  LiveBody body;
  body.start([&body] {
    body.set_head(200, "text/event-stream");
    for (const char* piece : {"a", "b", "c"}) body.push(piece);
    body.finish();
  });
  const LiveBody::Head head = body.wait_head();
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_type, "text/event-stream");
  std::vector<std::string> taken;
  for (std::string piece; body.next(piece);) taken.push_back(piece);
  EXPECT_EQ(taken, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LiveBody, AFailureBeforeTheHeadIsRethrownAndOneAfterItEndsWithTheLastEvent) {
  {
    LiveBody body;
    body.start([&body] { body.fail(std::make_exception_ptr(std::runtime_error("refused")), "unused"); });
    EXPECT_THROW(body.wait_head(), std::runtime_error);
  }
  LiveBody body;
  body.start([&body] {
    body.set_head(200, "text/event-stream");
    body.push("data: 1\n\n");
    body.fail(std::make_exception_ptr(std::runtime_error("cut")), "data: {\"error\":{}}\n\n");
  });
  body.wait_head();
  std::vector<std::string> taken;
  for (std::string piece; body.next(piece);) taken.push_back(piece);
  EXPECT_EQ(taken, (std::vector<std::string>{"data: 1\n\n", "data: {\"error\":{}}\n\n"}));
}

// Every relay of ours sets the head first: one that does not is a bug,
// reported as such (the proxy answers 500 internal_error), not an empty head.
TEST(LiveBody, ARelayThatFinishesWithoutAHeadIsABrokenInvariant) {
  LiveBody body;
  body.start([&body] { body.finish(); });
  EXPECT_THROW(body.wait_head(), InvariantError);
}

// With room for one byte, the producer waits for each piece to be taken:
// drain() takes them as they come (it would wait forever for the end if it
// did not), and abandon() releases a waiting producer.
TEST(LiveBody, AFullQueueHoldsTheProducerUntilTakenOrAbandoned) {
  {
    LiveBody body(1);
    body.start([&body] {
      body.set_head(200, "application/json");
      for (const char* piece : {"{", "\"a\"", ":", "1", "}"}) body.push(piece);
      body.finish();
    });
    body.wait_head();
    EXPECT_EQ(body.drain(), "{\"a\":1}");
  }
  bool second_push = true;
  {
    LiveBody body(1);
    body.start([&body, &second_push] {
      body.set_head(200, "text/event-stream");
      body.push("x");
      second_push = body.push("y");  // waits: no room until abandoned
    });
    body.wait_head();
    body.abandon();
  }  // ~LiveBody joins the producer: it did not wait forever
  EXPECT_FALSE(second_push);
}

}  // namespace
}  // namespace optscale::server
