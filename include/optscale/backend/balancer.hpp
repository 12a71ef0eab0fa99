// Spreading requests over several endpoints serving one model (replicas):
// least outstanding requests first, a per-endpoint concurrency limit, and
// health tracking (an endpoint failing repeatedly is avoided for a growing
// cool-down while a healthy one remains; when none is healthy, the one whose
// cool-down ends first is probed rather than stalling the run).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace optscale::backend {

struct EndpointStats {
  std::string base_url;
  int outstanding = 0;
  long long requests = 0;
  long long failures = 0;
  bool healthy = true;
};

class Balancer {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kFailuresBeforeUnhealthy = 3;

  // `limit_per_endpoint` <= 0: no limit. Throws optscale::Error for an empty list.
  explicit Balancer(std::vector<std::string> base_urls, int limit_per_endpoint = 0,
                    std::function<Clock::time_point()> now = Clock::now);

  // A claim on one endpoint's capacity, released when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    std::size_t index() const { return index_; }
    const std::string& base_url() const;
    void succeeded();  // resets the endpoint's failure streak
    void failed();     // counts towards marking it unhealthy

   private:
    friend class Balancer;
    Lease(Balancer* owner, std::size_t index) : owner_(owner), index_(index) {}
    Balancer* owner_;
    std::size_t index_;
  };

  // Blocks until an endpoint has room; nullopt once `*cancel` is true.
  std::optional<Lease> acquire(const std::atomic<bool>* cancel = nullptr);
  // nullopt when no endpoint has room now.
  std::optional<Lease> try_acquire();

  std::vector<EndpointStats> stats() const;
  // True once any endpoint has answered a request successfully: a server
  // that answers some requests and keeps failing one is failing that one.
  bool ever_succeeded() const { return ever_succeeded_.load(); }
  std::size_t size() const { return endpoints_.size(); }
  const std::string& base_url(std::size_t index) const { return endpoints_.at(index).base_url; }

 private:
  struct Endpoint {
    std::string base_url;
    int outstanding = 0;
    long long requests = 0;
    long long failures = 0;
    int failure_streak = 0;
    Clock::time_point unhealthy_until{};
  };
  std::optional<std::size_t> pick_locked(Clock::time_point now) const;
  std::atomic<bool> ever_succeeded_{false};
  void release(std::size_t index);
  void record(std::size_t index, bool success);

  std::vector<Endpoint> endpoints_;
  int limit_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mutex_;
  std::condition_variable room_;
};

}  // namespace optscale::backend
