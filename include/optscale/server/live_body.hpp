// A relayed answer's body on its way from the upstream to the client while
// it is still arriving: the thread relaying it pushes pieces, the thread
// writing the client's response takes them, so a streamed answer (server-sent
// events) reaches the client as the upstream sends it instead of once
// complete. It owns the relaying thread and joins it when destroyed.
//
// Producer: set_head() (status and content type, once, before the first
// piece), push() per piece, then finish() or fail(). Consumer: wait_head(),
// then next() until it returns false, or drain() for the rest at once;
// abandon() when the client is gone (push() then returns false, which stops
// the upstream transfer).
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace optscale::server {

class LiveBody {
 public:
  struct Head {
    int status = 200;
    std::string content_type;
  };

  // push() waits while more than `max_queued_bytes` are queued, so that a
  // slow client holds back the upstream instead of filling memory.
  explicit LiveBody(std::size_t max_queued_bytes = 1 << 20) : max_queued_bytes_(max_queued_bytes) {}
  ~LiveBody();
  LiveBody(const LiveBody&) = delete;
  LiveBody& operator=(const LiveBody&) = delete;

  // Runs `relay` (a callable, move-only ones too) on the body's own thread (once).
  template <class Relay>
  void start(Relay&& relay) {
    thread_ = std::thread(std::forward<Relay>(relay));
  }

  // ---- producer (the relaying thread) ----
  void set_head(int status, std::string content_type);  // later calls are ignored
  bool push(std::string_view piece);                     // false once abandoned; may wait (see above)
  void finish();
  // The relay failed. Before the head, wait_head() rethrows `error`; after
  // it, the body ends with `last_event` (an error event for the client;
  // drain() rethrows instead).
  void fail(std::exception_ptr error, std::string last_event);

  // ---- consumer (the thread writing the client's response) ----
  bool has_head() const;
  // Blocks until the head is known; rethrows a failure that came first.
  Head wait_head();
  // The next piece, in order; false when the body has ended and all of it
  // was taken (a failure's last event is the final piece).
  bool next(std::string& piece);
  // The rest of the body, whole (waits for its end); rethrows a failure.
  std::string drain();
  void abandon();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Head> head_;
  std::deque<std::string> pieces_;
  std::size_t queued_bytes_ = 0;
  const std::size_t max_queued_bytes_;
  bool ended_ = false;
  bool abandoned_ = false;
  std::exception_ptr error_;
  std::string last_event_;
  std::thread thread_;
};

}  // namespace optscale::server
