#include "optscale/server/deadline_watch.hpp"

namespace optscale::server {

DeadlineWatch::DeadlineWatch() : watcher_([this] { run(); }) {}

DeadlineWatch::~DeadlineWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watcher_.join();
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

DeadlineWatch::Ticket DeadlineWatch::watch(Clock::time_point deadline) {
  auto state = std::make_shared<State>();
  std::uint64_t id = 0;
  bool earliest = false;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    if (all_cancelled_) raise(*state, CancelReason::shutdown);
    tickets_.emplace(id, std::make_pair(deadline, state));
    by_deadline_.emplace(deadline, id);
    earliest = by_deadline_.begin()->second == id;
  }
  if (earliest) wake_.notify_all();
  return Ticket(this, id, std::move(state));
}

void DeadlineWatch::forget(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = tickets_.find(id);
  if (it == tickets_.end()) return;
  by_deadline_.erase({it->second.first, id});
  tickets_.erase(it);
}

void DeadlineWatch::cancel_all() {
  std::lock_guard lock(mutex_);
  all_cancelled_ = true;
  for (auto& [id, entry] : tickets_) raise(*entry.second, CancelReason::shutdown);
}

std::size_t DeadlineWatch::watched() const {
  std::lock_guard lock(mutex_);
  return tickets_.size();
}

void DeadlineWatch::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (by_deadline_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const Clock::time_point next = by_deadline_.begin()->first;
    if (Clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    // Expired: raise the flag and stop watching (the ticket still holds the state).
    const std::uint64_t id = by_deadline_.begin()->second;
    by_deadline_.erase(by_deadline_.begin());
    raise(*tickets_.at(id).second, CancelReason::deadline);
  }
}

}  // namespace optscale::server
