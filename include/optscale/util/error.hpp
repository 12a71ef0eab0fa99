// Errors a user can read: every failure the program reports is an
// optscale::Error whose message names what was wrong and where.
#pragma once
#include <stdexcept>
#include <string>

namespace optscale {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error("<where>: <what>") unless `condition` holds.
inline void require(bool condition, const std::string& where, const std::string& what) {
  if (!condition) throw Error(where + ": " + what);
}

}  // namespace optscale
