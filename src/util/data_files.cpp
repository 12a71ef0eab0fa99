#include "optscale/util/data_files.hpp"

#include <system_error>

#include "optscale/util/error.hpp"

namespace optscale {

std::vector<std::filesystem::path> data_file_candidates(const std::filesystem::path& relative) {
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "optscale" / relative);
  candidates.push_back(std::filesystem::path(OPTSCALE_SOURCE_DIR) / relative);
  return candidates;
}

std::filesystem::path find_data_file(const std::filesystem::path& relative, const std::string& what,
                                     const std::string& hint) {
  const auto candidates = data_file_candidates(relative);
  for (const auto& path : candidates) {
    if (std::filesystem::is_regular_file(path)) return path;
  }
  std::string tried;
  for (const auto& path : candidates) tried.append(" ").append(path.string());
  throw Error(what + ": not found (tried" + tried + "); " + hint);
}

}  // namespace optscale
