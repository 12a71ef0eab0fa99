// Problem files of `optscale run` (include/optscale/engine/problems.hpp): the
// input is a JSONL problems file. Contract: read or optscale::Error; what is
// read has non-empty unique ids, non-empty problems, and priors of two finite
// numbers. sigma <= 0 is accepted, as in a pool (docs/pool-format.md: the
// reference predictor emits such priors; strategies clip them).
#include <cmath>
#include <cstdint>
#include <set>

#include "fuzz_support.hpp"
#include "optscale/engine/problems.hpp"

using namespace optscale;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& path = fuzz::write_input(fuzz::as_text(data, size), ".jsonl");
  std::vector<engine::Problem> problems;
  if (!fuzz::refused_or_done([&] { problems = engine::read_problems(path); })) return 0;
  std::set<std::string> ids;
  for (const engine::Problem& p : problems) {
    FUZZ_CHECK(!p.id.empty() && !p.text.empty(), "id and problem are not empty");
    FUZZ_CHECK(ids.insert(p.id).second, "duplicate id " + p.id);
    if (p.prior) {
      const auto [mu, sigma] = *p.prior;
      FUZZ_CHECK(std::isfinite(mu) && std::isfinite(sigma),
                 "problem " + p.id + ": prior [" + std::to_string(mu) + ", " + std::to_string(sigma) + "]");
    }
  }
  return 0;
}
