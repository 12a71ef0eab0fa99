#include "optscale/server/deadline_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::server {

DeadlineWatch::DeadlineWatch() {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw Error(std::string("serve: cannot create an eventfd: ") + std::strerror(errno));
  watcher_ = std::thread([this] { run(); });
}

DeadlineWatch::~DeadlineWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  watcher_.join();
  ::close(wake_fd_);
}

DeadlineWatch::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(other.owner_), id_(other.id_), state_(std::move(other.state_)) {
  other.owner_ = nullptr;
}

DeadlineWatch::Ticket::~Ticket() {
  if (owner_) owner_->forget(id_);
}

void DeadlineWatch::raise(State& state, CancelReason reason) {
  CancelReason expected = CancelReason::none;
  state.reason.compare_exchange_strong(expected, reason);  // the first reason wins
  state.cancelled.store(true);
}

void DeadlineWatch::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);  // full counter: already awake
}

DeadlineWatch::Ticket DeadlineWatch::watch(Clock::time_point deadline, int client_socket) {
  auto state = std::make_shared<State>();
  std::uint64_t id = 0;
  bool earliest = false;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    if (all_cancelled_) raise(*state, CancelReason::shutdown);
    tickets_.emplace(id, Entry{deadline, state, client_socket});
    by_deadline_.emplace(deadline, id);
    earliest = by_deadline_.begin()->second == id;
  }
  // The watcher must learn of an earlier deadline or of a socket to poll.
  if (earliest || client_socket >= 0) wake();
  return Ticket(this, id, std::move(state));
}

void DeadlineWatch::forget(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = tickets_.find(id);
  if (it == tickets_.end()) return;
  by_deadline_.erase({it->second.deadline, id});
  tickets_.erase(it);
}

void DeadlineWatch::cancel_all() {
  std::lock_guard lock(mutex_);
  all_cancelled_ = true;
  for (auto& [id, entry] : tickets_) raise(*entry.state, CancelReason::shutdown);
}

std::size_t DeadlineWatch::watched() const {
  std::lock_guard lock(mutex_);
  return tickets_.size();
}

void DeadlineWatch::run() {
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> ids;  // the ticket of each fds[i], i >= 1
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Expired deadlines: raise the flag and stop watching the deadline (the
    // ticket still holds the state).
    const Clock::time_point now = Clock::now();
    while (!by_deadline_.empty() && by_deadline_.begin()->first <= now) {
      const std::uint64_t id = by_deadline_.begin()->second;
      by_deadline_.erase(by_deadline_.begin());
      raise(*tickets_.at(id).state, CancelReason::deadline);
    }
    int timeout_ms = -1;
    if (!by_deadline_.empty()) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(by_deadline_.begin()->first - now).count();
      timeout_ms = static_cast<int>(std::min<long long>(std::max<long long>(left, 1), INT_MAX));
    }
    fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
    ids.assign(1, 0);
    for (const auto& [id, entry] : tickets_) {
      if (entry.client_socket < 0 || entry.state->cancelled.load()) continue;
      // Only hang-ups: data a client sends ahead (a pipelined request) is not
      // an event, so it cannot make this loop spin.
      fds.push_back(pollfd{entry.client_socket, POLLRDHUP, 0});
      ids.push_back(id);
    }
    lock.unlock();
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready > 0 && (fds[0].revents & POLLIN)) {
      std::uint64_t count = 0;
      [[maybe_unused]] const ssize_t got = ::read(wake_fd_, &count, sizeof count);
    }
    lock.lock();
    if (ready <= 0) continue;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR))) continue;
      // A ticket that ended meanwhile may have had its socket closed and its
      // number reused: only a ticket still watched is raised.
      const auto it = tickets_.find(ids[i]);
      if (it != tickets_.end()) raise(*it->second.state, CancelReason::client_closed);
    }
  }
}

}  // namespace optscale::server
