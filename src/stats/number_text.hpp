// Numbers in error messages: the shortest text that reads back as the same
// double (std::to_string would print 1e-7 as 0.000000). Private to stats.
#pragma once
#include <charconv>
#include <string>

namespace optscale::stats::detail {

inline std::string number_text(double x) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

}  // namespace optscale::stats::detail
