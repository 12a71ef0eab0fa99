// Errors a user can read: every failure the program reports is an
// optscale::Error whose message names what was wrong and where.
#pragma once
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace optscale {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace error_detail {
// A message part: text, or a callable returning text (called only on failure).
template <typename Part>
std::string message_part(Part&& part) {
  if constexpr (std::is_invocable_v<Part>)
    return std::string(part());
  else
    return std::string(std::forward<Part>(part));
}
}  // namespace error_detail

// Throws Error("<where>: <what>") unless `condition` holds. The message is
// built only on failure: pass text as is (a literal, a string) and a built
// message as a callable, require(ok, where, [&] { return [&] { return "got " + std::to_string(n); }; }).
template <typename Where, typename What>
void require(bool condition, Where&& where, What&& what) {
  if (!condition) [[unlikely]]
    throw Error(error_detail::message_part(std::forward<Where>(where)) + ": " + error_detail::message_part(std::forward<What>(what)));
}

// The message of any exception for a user, at an entry point (CLI main, a
// proxy request, an engine task): an Error's own message; anything else
// (a library's exception, bad_alloc, a non-std throw) marked as an internal
// error with what it said, so the caller can prefix the input it was handling.
std::string exception_message(const std::exception_ptr& error);

}  // namespace optscale
