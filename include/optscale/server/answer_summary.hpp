// What the proxy reports about one Best-of-N answer: which sample it returns,
// the tokens it cost, and the `optscale` object of the response (samples
// drawn, best score, stop reason, per-sample scores, budget saved).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "optscale/server/answerer.hpp"

namespace optscale::server {

struct AnswerSummary {
  // Index of the sample returned. The policy's choice when it made one; when
  // it selected none (e.g. a vote among samples without a final answer) the
  // highest-scoring non-empty sample, so the client still gets the best
  // text; -1 only when every sample is empty.
  int returned = -1;
  std::string selection;           // "policy", "best-score" or "none"
  int samples = 0;                 // drawn
  int budget = 0;                  // the policy's n
  long long completion_tokens = 0; // every sample's tokens: what was generated
  double best_score = 0.0;
  nlohmann::json report;           // the response's `optscale` object
};

// Throws optscale::Error when the result is inconsistent (no samples, a
// selection outside them, a score outside [0, 1] or not finite, negative
// tokens, more samples than the budget).
AnswerSummary summarize_answer(const AnswerResult& result, int budget, const std::string& policy_spec);

}  // namespace optscale::server
