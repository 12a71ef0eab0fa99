#include "optscale/policy/peek.hpp"

#include <algorithm>
#include <string>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::policy {

int default_peek(int budget) {
  // The spec reader has checked n >= 1 before it asks.
  OPTSCALE_INVARIANT(budget >= 1, "default peek: budget must be >= 1, got " + std::to_string(budget));
  // round(5n/16) with halves up, in integers: floor((5n + 8) / 16).
  const long long rounded = (5LL * budget + 8) / 16;
  return static_cast<int>(std::clamp<long long>(rounded, 1, budget));
}

}  // namespace optscale::policy
