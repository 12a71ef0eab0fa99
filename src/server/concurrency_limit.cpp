#include "optscale/server/concurrency_limit.hpp"

#include "optscale/util/error.hpp"

namespace optscale::server {

ConcurrencyLimit::ConcurrencyLimit(int limit) : limit_(limit) {
  require(limit >= 1, "--max-concurrent", [&] { return "must be at least 1, got " + std::to_string(limit); });
}

ConcurrencyLimit::Permit::~Permit() {
  if (owner_) owner_->in_use_.fetch_sub(1);
}

std::optional<ConcurrencyLimit::Permit> ConcurrencyLimit::try_acquire() {
  int current = in_use_.load();
  while (current < limit_)
    if (in_use_.compare_exchange_weak(current, current + 1)) return Permit(this);
  return std::nullopt;
}

}  // namespace optscale::server
