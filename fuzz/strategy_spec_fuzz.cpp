// Strategy specs (docs/strategies.md), as `--strategy` and the proxy's
// `optscale.policy` take them. Contract: strategies or optscale::Error; each
// strategy's canonical spec() reads back as itself; run over three problems'
// valid observations, a strategy stays within its budget and selects a
// consumed sample (policy::run_strategy checks both and throws
// optscale::Error otherwise, so that is a finding here).
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/policy/spec.hpp"

using namespace optscale;

namespace {

// Deterministic valid observations: scores in [0, 1], a few answer classes.
std::vector<policy::Observation> observations(int count, unsigned salt) {
  std::vector<policy::Observation> out;
  unsigned state = 2463534242u ^ salt;
  for (int i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    policy::Observation o;
    o.score = static_cast<double>(state % 1001) / 1000.0;
    o.tokens = static_cast<long long>(state % 500);
    o.answer_class = static_cast<int>(state % 4) - 1;
    out.push_back(o);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string spec(fuzz::as_text(data, size));
  std::vector<std::unique_ptr<policy::Strategy>> strategies;
  if (!fuzz::refused_or_done([&] { strategies = policy::make_strategies(spec); })) return 0;
  FUZZ_CHECK(!strategies.empty(), "a spec that reads gives at least one strategy");
  std::size_t ran = 0;
  for (const auto& strategy : strategies) {
    const std::string canonical = strategy->spec();
    std::vector<std::unique_ptr<policy::Strategy>> again;
    FUZZ_CHECK(fuzz::refused_or_done([&] { again = policy::make_strategies(canonical); }),
               "canonical spec '" + canonical + "' of '" + spec + "' reads back");
    FUZZ_CHECK(again.size() == 1 && again[0]->spec() == canonical, "'" + canonical + "' reads back as itself");
    // Runs are what costs: a few strategies with sane budgets are enough.
    if (strategy->budget() < 1 || strategy->budget() > 256 || ++ran > 8) continue;
    policy::DirectFitProvider fits;
    std::vector<policy::ProblemInfo> problems;
    std::vector<std::vector<policy::Observation>> observed;
    for (unsigned p = 0; p < 3; ++p) {
      problems.push_back(policy::ProblemInfo{"p" + std::to_string(p), "problem", std::array<double, 2>{0.6, 0.2},
                                             std::array<double, 2>{0.05, 0.05}, &fits, ""});
      observed.push_back(observations(strategy->budget(), p));
    }
    std::vector<policy::RunResult> runs;
    // A strategy may refuse these problems (e.g. one whose spec names a
    // prior source the problems were not resolved from): a clear refusal.
    if (!fuzz::refused_or_done([&] { runs = policy::run_strategy(*strategy, problems, observed); })) continue;
    FUZZ_CHECK(runs.size() == problems.size(), canonical);
    for (const policy::RunResult& r : runs)
      FUZZ_CHECK(r.consumed <= strategy->budget() && r.selected < r.consumed, canonical);
  }
  return 0;
}
