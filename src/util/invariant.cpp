#include "optscale/util/invariant.hpp"

namespace optscale {

void invariant_failed(const char* condition, const char* file, int line, std::string_view detail) {
  std::string message = std::string("invariant `") + condition + "` broken at " + file + ":" + std::to_string(line);
  if (!detail.empty()) message.append(": ").append(detail);
  throw InvariantError(message);
}

}  // namespace optscale
