#include "optscale/util/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include "optscale/util/error.hpp"

namespace optscale {

std::ifstream open_for_reading(const std::filesystem::path& path, const std::string& what) {
  const std::string name = (what.empty() ? std::string() : what + " ") + path.string();
  // ifstream opens a directory on Linux and then fails on the first read.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(name + ": cannot open for reading (it is a directory)");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int saved = errno;
    throw Error(name + ": cannot open for reading (" +
                (saved != 0 ? std::string(std::strerror(saved)) : std::string("unknown reason")) + ")");
  }
  return in;
}

}  // namespace optscale
