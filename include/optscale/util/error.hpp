// Errors a user can read: every failure the program reports is an
// optscale::Error whose message names what was wrong and where.
#pragma once
#include <exception>
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

// The message of any exception for a user, at an entry point (CLI main, a
// proxy request, an engine task): an Error's own message; anything else
// (a library's exception, bad_alloc, a non-std throw) marked as an internal
// error with what it said, so the caller can prefix the input it was handling.
std::string exception_message(const std::exception_ptr& error);

}  // namespace optscale
