#include "optscale/backend/balancer.hpp"

#include <algorithm>

#include "optscale/util/error.hpp"

namespace optscale::backend {

Balancer::Balancer(std::vector<std::string> base_urls, int limit_per_endpoint,
                   std::function<Clock::time_point()> now)
    : limit_(limit_per_endpoint), now_(std::move(now)) {
  if (base_urls.empty()) throw Error("no endpoint given");
  for (auto& url : base_urls) endpoints_.push_back(Endpoint{std::move(url)});
}

Balancer::Lease::Lease(Lease&& other) noexcept : owner_(other.owner_), index_(other.index_) {
  other.owner_ = nullptr;
}

Balancer::Lease& Balancer::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (owner_) owner_->release(index_);
    owner_ = other.owner_;
    index_ = other.index_;
    other.owner_ = nullptr;
  }
  return *this;
}

Balancer::Lease::~Lease() {
  if (owner_) owner_->release(index_);
}

const std::string& Balancer::Lease::base_url() const { return owner_->base_url(index_); }
void Balancer::Lease::succeeded() { owner_->record(index_, true); }
void Balancer::Lease::failed() { owner_->record(index_, false); }

std::optional<std::size_t> Balancer::pick_locked(Clock::time_point now) const {
  auto has_room = [&](const Endpoint& e) { return limit_ <= 0 || e.outstanding < limit_; };
  auto healthy = [&](const Endpoint& e) { return now >= e.unhealthy_until; };
  bool any_healthy = std::any_of(endpoints_.begin(), endpoints_.end(), healthy);
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const Endpoint& e = endpoints_[i];
    if (!has_room(e)) continue;
    if (any_healthy) {
      if (!healthy(e)) continue;
      // Fewest outstanding, then fewest served (round robin among equals).
      if (!best || e.outstanding < endpoints_[*best].outstanding ||
          (e.outstanding == endpoints_[*best].outstanding && e.requests < endpoints_[*best].requests))
        best = i;
    } else if (!best || e.unhealthy_until < endpoints_[*best].unhealthy_until) {
      best = i;  // none healthy: probe the one that has rested longest
    }
  }
  return best;
}

std::optional<Balancer::Lease> Balancer::try_acquire() {
  std::lock_guard lock(mutex_);
  auto index = pick_locked(now_());
  if (!index) return std::nullopt;
  ++endpoints_[*index].outstanding;
  ++endpoints_[*index].requests;
  return Lease(this, *index);
}

std::optional<Balancer::Lease> Balancer::acquire(const std::atomic<bool>* cancel) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (cancel && cancel->load()) return std::nullopt;
    if (auto index = pick_locked(now_())) {
      ++endpoints_[*index].outstanding;
      ++endpoints_[*index].requests;
      return Lease(this, *index);
    }
    // Woken by a release; the timeout re-checks cancellation and cool-downs.
    room_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

void Balancer::release(std::size_t index) {
  {
    std::lock_guard lock(mutex_);
    --endpoints_[index].outstanding;
  }
  room_.notify_one();
}

void Balancer::record(std::size_t index, bool success) {
  if (success) ever_succeeded_.store(true);
  std::lock_guard lock(mutex_);
  Endpoint& e = endpoints_[index];
  if (success) {
    e.failure_streak = 0;
    e.unhealthy_until = {};
    return;
  }
  ++e.failures;
  if (++e.failure_streak >= kFailuresBeforeUnhealthy) {
    // Cool-down 1 s, 2 s, 4 s, ... up to 30 s while the streak continues.
    int doublings = std::min(e.failure_streak - kFailuresBeforeUnhealthy, 5);
    auto cool_down = std::min(std::chrono::milliseconds(1000 << doublings), std::chrono::milliseconds(30000));
    e.unhealthy_until = now_() + cool_down;
  }
}

std::vector<EndpointStats> Balancer::stats() const {
  std::lock_guard lock(mutex_);
  auto now = now_();
  std::vector<EndpointStats> out;
  for (const Endpoint& e : endpoints_)
    out.push_back(EndpointStats{e.base_url, e.outstanding, e.requests, e.failures, now >= e.unhealthy_until});
  return out;
}

}  // namespace optscale::backend
