// Writing pools: validate everything first, write to a temporary file next to
// the target, then rename, so the target is either the old file or the whole
// new pool.
#include <cstdio>
#include <fstream>
#include <unordered_set>

#include "optscale/pool/pool.hpp"
#include "optscale/util/error.hpp"
#include "pool_json.hpp"

namespace optscale::pool {

std::string pool_line(const Problem& problem) {
  for (std::size_t i = 0; i < problem.samples.size(); ++i) {
    if (problem.samples[i].dropped) {
      throw Error("problem \"" + problem.id + "\": samples[" + std::to_string(i) +
                  "].text: was dropped when the pool was read (read it with Texts::keep to write it)");
    }
  }
  try {
    return detail::problem_to_json(problem).dump();
  } catch (const nlohmann::json::type_error& e) {
    throw Error("problem \"" + problem.id + "\": cannot be written as JSON (" + e.what() + ")");
  }
}

void write_pool(const Pool& pool, const std::filesystem::path& path) {
  const std::string file = path.string();
  std::unordered_set<std::string> ids;
  for (std::size_t i = 0; i < pool.problems.size(); ++i) {
    const Problem& problem = pool.problems[i];
    const std::string where = file + ": problem " + std::to_string(i) + " (id \"" + problem.id +
                              "\"): ";
    auto violations = problem_violations(problem);
    if (!violations.empty()) throw Error(where + violations.front() + "; not written");
    if (!ids.insert(problem.id).second) throw Error(where + "id: duplicate id; not written");
  }
  if (pool.problems.empty()) throw Error(file + ": no problems to write");

  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(temporary.string() + ": cannot open for writing");
    for (const Problem& problem : pool.problems) {
      try {
        out << pool_line(problem) << '\n';
      } catch (const Error& e) {
        out.close();
        std::filesystem::remove(temporary);
        throw Error(file + ": " + e.what());
      }
    }
    out.flush();
    if (!out) {
      std::filesystem::remove(temporary);
      throw Error(temporary.string() + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary);
    throw Error(file + ": cannot move the written pool into place (" + ec.message() + ")");
  }
}

}  // namespace optscale::pool
