// Internal invariants: conditions the code itself guarantees, checked as such.
// A broken one is a bug in optscale, not a mistake in the input, so it is not
// an optscale::Error (those name what the user got wrong): it is an
// InvariantError naming the condition and file:line, which the entry points
// report as "internal error: ..." (util/error.hpp, exception_message). It
// throws rather than aborts so that a live run still stores what it has.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace optscale {

class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Throws InvariantError("invariant `CONDITION` broken at FILE:LINE: DETAIL").
[[noreturn]] void invariant_failed(const char* condition, const char* file, int line, std::string_view detail);

}  // namespace optscale

// Checks an internal invariant; `detail` (anything a std::string can be made
// from) is evaluated only when the invariant is broken.
#define OPTSCALE_INVARIANT(condition, detail)                                               \
  do {                                                                                      \
    if (!(condition)) [[unlikely]]                                                          \
      ::optscale::invariant_failed(#condition, __FILE__, __LINE__, std::string(detail));     \
  } while (false)
