#include "optscale/util/data_files.hpp"

#include <mutex>
#include <system_error>

#include "optscale/util/error.hpp"

namespace optscale {
namespace {

std::mutex roots_mutex;
std::vector<std::filesystem::path>& data_roots() {
  static std::vector<std::filesystem::path> roots;
  return roots;
}

}  // namespace

void add_data_root(const std::filesystem::path& root) {
  const std::lock_guard lock(roots_mutex);
  data_roots().push_back(root);
}

std::vector<std::filesystem::path> data_file_candidates(const std::filesystem::path& relative) {
  std::vector<std::filesystem::path> candidates;
  {
    const std::lock_guard lock(roots_mutex);
    for (const auto& root : data_roots()) candidates.push_back(root / relative);
  }
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
