#include "optscale/server/live_body.hpp"

#include "optscale/util/invariant.hpp"

namespace optscale::server {

LiveBody::~LiveBody() {
  abandon();
  if (thread_.joinable()) thread_.join();
}

void LiveBody::set_head(int status, std::string content_type) {
  {
    std::lock_guard lock(mutex_);
    if (head_) return;
    head_ = Head{status, std::move(content_type)};
  }
  changed_.notify_all();
}

bool LiveBody::push(std::string_view piece) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return abandoned_ || queued_bytes_ < max_queued_bytes_; });
    if (abandoned_) return false;
    pieces_.emplace_back(piece);
    queued_bytes_ += piece.size();
  }
  changed_.notify_all();
  return true;
}

void LiveBody::finish() {
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
  }
  changed_.notify_all();
}

void LiveBody::fail(std::exception_ptr error, std::string last_event) {
  {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
    last_event_ = std::move(last_event);
    ended_ = true;
  }
  changed_.notify_all();
}

bool LiveBody::has_head() const {
  std::lock_guard lock(mutex_);
  return head_.has_value();
}

LiveBody::Head LiveBody::wait_head() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return head_ || ended_; });
  if (head_) return *head_;
  if (error_) std::rethrow_exception(error_);
  // Every relay sets the head before it finishes.
  OPTSCALE_INVARIANT(false, "the relay finished the body without a head");
}

bool LiveBody::next(std::string& piece) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !pieces_.empty() || ended_; });
  if (!pieces_.empty()) {
    piece = std::move(pieces_.front());
    pieces_.pop_front();
    queued_bytes_ -= piece.size();
    lock.unlock();
    changed_.notify_all();  // a producer may wait for room
    return true;
  }
  if (!last_event_.empty()) {
    piece = std::move(last_event_);
    last_event_.clear();
    return true;
  }
  return false;
}

std::string LiveBody::drain() {
  std::string body;
  std::unique_lock lock(mutex_);
  for (;;) {
    // Takes what is queued as it comes, so that a producer waiting for room
    // can go on.
    changed_.wait(lock, [this] { return !pieces_.empty() || ended_; });
    for (std::string& piece : pieces_) body += piece;
    pieces_.clear();
    queued_bytes_ = 0;
    changed_.notify_all();
    if (ended_) break;
  }
  if (error_) std::rethrow_exception(error_);
  return body;
}

void LiveBody::abandon() {
  {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    pieces_.clear();
    queued_bytes_ = 0;
  }
  changed_.notify_all();
}

}  // namespace optscale::server
