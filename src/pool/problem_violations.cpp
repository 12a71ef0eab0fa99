// The value rules of the pool format (docs/pool-format.md, "Validation"),
// shared by the reader, the writer, the importer and the simulator.
#include <cmath>

#include "optscale/pool/pool.hpp"
#include "pool_json.hpp"

namespace optscale::pool {
namespace {

bool in_unit_interval(double x) { return std::isfinite(x) && x >= 0.0 && x <= 1.0; }

}  // namespace

std::vector<std::string> problem_violations(const Problem& problem) {
  using detail::format_number;
  std::vector<std::string> out;
  if (problem.id.empty()) out.push_back("id: must not be empty");
  if (problem.gold && problem.gold->empty()) {
    out.push_back("gold: must not be empty (omit the field when the gold answer is unknown)");
  }
  if (problem.prior) {
    const auto& [mu, sigma] = *problem.prior;
    if (!std::isfinite(mu)) out.push_back("prior[0]: must be finite, got " + format_number(mu));
    if (!std::isfinite(sigma)) {
      out.push_back("prior[1]: must be finite, got " + format_number(sigma));
    }
  }
  if (problem.samples.empty()) out.push_back("samples: must hold at least one sample, got []");
  for (std::size_t i = 0; i < problem.samples.size(); ++i) {
    const Sample& s = problem.samples[i];
    auto where = [i] { return std::string("samples[").append(std::to_string(i)).append("]."); };
    if (!in_unit_interval(s.score)) {
      out.push_back(where() + "score: must be in [0,1], got " + format_number(s.score));
    }
    for (std::size_t k = 0; k < s.step_scores.size(); ++k) {
      if (!in_unit_interval(s.step_scores[k])) {
        out.push_back(where() + "step_scores[" + std::to_string(k) + "]: must be in [0,1], got " +
                      format_number(s.step_scores[k]));
      }
    }
    if (s.tokens < 0) {
      out.push_back(where() + "tokens: must be >= 0, got " + std::to_string(s.tokens));
    }
  }
  return out;
}

bool has_text(const Sample& sample) { return sample.text || sample.dropped; }

bool empty_completion(const Sample& sample) {
  return sample.text ? sample.text->empty() : sample.dropped && sample.dropped->bytes == 0;
}

bool Pool::synthetic() const {
  for (const Problem& p : problems) {
    if (p.synthetic) return true;
  }
  return false;
}

}  // namespace optscale::pool
