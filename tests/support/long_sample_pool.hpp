// A pool whose samples are texts in steps, some far longer than a small
// scorer context, for the tests of `run` and `serve` against real-server
// personalities of the mock (issue 10).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace optscale::testing {

// 16 problems of 12 samples with texts in steps. Problems r0..r3 have long
// samples (every third: 120 steps, far over a 512-token scorer context);
// r4's sample 0 is one giant step that no cut can fit.
inline std::vector<nlohmann::json> long_sample_pool() {
  std::vector<nlohmann::json> problems;
  unsigned state = 12345;
  auto unit = [&state] {
    state = state * 1103515245u + 12345u;
    return static_cast<double>((state >> 8) % 10000) / 10000.0;
  };
  for (int p = 0; p < 16; ++p) {
    nlohmann::json problem = {{"id", "r" + std::to_string(p)},
                    {"problem", "Problem r" + std::to_string(p) + ": add " + std::to_string(p) + " and 7."},
                    {"gold", std::to_string(p + 7)}};
    nlohmann::json samples = nlohmann::json::array();
    for (int k = 0; k < 12; ++k) {
      const bool long_one = p < 4 && k % 3 == 0;
      const int steps = long_one ? 120 : 3 + k % 4;
      std::string text;
      for (int s = 0; s < steps; ++s)
        text += "Step " + std::to_string(s) + ": we carry the computation of problem " + std::to_string(p) +
                " one step further.\n\n";
      text = "Sample " + std::to_string(k) + ".\n\n" + text;  // unique texts: the mock finds samples by text
      if (p == 4 && k == 0) text = std::string(6000, 'x') + " ";
      const int answer = unit() < 0.6 ? p + 7 : p + 8;
      text += "The answer is \\boxed{" + std::to_string(answer) + "}.";
      samples.push_back({{"text", text},
                         {"score", 0.05 + 0.9 * unit()},
                         {"tokens", static_cast<long long>(text.size() / 4)}});
    }
    problem["samples"] = samples;
    problems.push_back(problem);
  }
  return problems;
}

}  // namespace optscale::testing
