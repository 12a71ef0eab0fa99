// Bounded concurrency without a queue: a request either gets a permit now or
// is turned away (429 with Retry-After), so overload shows up at once instead
// of as an ever longer, unbounded wait.
#pragma once
#include <atomic>
#include <optional>

namespace optscale::server {

class ConcurrencyLimit {
 public:
  // Throws optscale::Error unless limit >= 1.
  explicit ConcurrencyLimit(int limit);

  // Held while a request is served; released when destroyed.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Permit& operator=(Permit&&) = delete;
    ~Permit();

   private:
    friend class ConcurrencyLimit;
    explicit Permit(ConcurrencyLimit* owner) : owner_(owner) {}
    ConcurrencyLimit* owner_;
  };

  // nullopt when `limit` permits are out.
  std::optional<Permit> try_acquire();
  int in_use() const { return in_use_.load(); }
  int limit() const { return limit_; }

 private:
  const int limit_;
  std::atomic<int> in_use_{0};
};

}  // namespace optscale::server
