#include "optscale/server/answer_summary.hpp"

#include <cmath>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::server {

AnswerSummary summarize_answer(const AnswerResult& result, int budget, const std::string& policy_spec) {
  const std::string where = "answer of policy " + policy_spec;
  const int drawn = static_cast<int>(result.samples.size());
  // What the answerer drove through policy::ProblemRun, whose contract
  // guarantees these; the samples' scores and tokens came from upstream.
  OPTSCALE_INVARIANT(drawn > 0, where + ": no sample was drawn");
  OPTSCALE_INVARIANT(drawn <= budget, where + ": " + std::to_string(drawn) + " samples drawn, more than the budget of " +
                                          std::to_string(budget));
  OPTSCALE_INVARIANT(result.selected >= -1 && result.selected < drawn,
                     where + ": selected sample " + std::to_string(result.selected) + " of " + std::to_string(drawn));

  AnswerSummary summary;
  summary.samples = drawn;
  summary.budget = budget;
  nlohmann::json scores = nlohmann::json::array(), tokens = nlohmann::json::array();
  int best_nonempty = -1;
  for (int i = 0; i < drawn; ++i) {
    const AnsweredSample& sample = result.samples[static_cast<std::size_t>(i)];
    require(std::isfinite(sample.score) && sample.score >= 0.0 && sample.score <= 1.0, where,
            [&] { return "sample " + std::to_string(i) + " has score " + std::to_string(sample.score) + ", outside [0, 1]"; });
    require(sample.tokens >= 0, where, [&] { return "sample " + std::to_string(i) + " has negative tokens"; });
    summary.completion_tokens += sample.tokens;
    summary.best_score = i == 0 ? sample.score : std::max(summary.best_score, sample.score);
    if (!sample.text.empty() &&
        (best_nonempty < 0 || sample.score > result.samples[static_cast<std::size_t>(best_nonempty)].score))
      best_nonempty = i;
    scores.push_back(sample.score);
    tokens.push_back(sample.tokens);
  }
  if (result.selected >= 0) {
    summary.returned = result.selected;
    summary.selection = "policy";
  } else if (best_nonempty >= 0) {
    summary.returned = best_nonempty;
    summary.selection = "best-score";
  } else {
    summary.selection = "none";
  }

  summary.report = {
      {"policy", policy_spec},
      {"samples", drawn},
      {"budget", budget},
      {"budget_saved", budget - drawn},
      {"stop_reason", result.stop_reason},
      {"best_score", summary.best_score},
      {"selected_index", summary.returned >= 0 ? nlohmann::json(summary.returned) : nlohmann::json(nullptr)},
      {"selected_score", summary.returned >= 0
                             ? nlohmann::json(result.samples[static_cast<std::size_t>(summary.returned)].score)
                             : nlohmann::json(nullptr)},
      {"selection", summary.selection},
      {"scores", std::move(scores)},
      {"sample_tokens", std::move(tokens)},
      {"completion_tokens", summary.completion_tokens},
  };
  return summary;
}

}  // namespace optscale::server
