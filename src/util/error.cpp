#include "optscale/util/error.hpp"

#include <new>

namespace optscale {

std::string exception_message(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return e.what();
  } catch (const std::bad_alloc&) {
    return "internal error: out of memory";
  } catch (const std::exception& e) {
    return std::string("internal error: ") + e.what();
  } catch (...) {
    return "internal error: an exception of unknown type";
  }
}

}  // namespace optscale
