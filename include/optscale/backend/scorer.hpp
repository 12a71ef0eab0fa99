// Verifiers, configured rather than coded per model:
//  - pooling:  a process reward model behind vLLM's /pooling (Qwen2.5-Math-PRM
//              convention by default; template, separator, step tag and
//              aggregation are settings), base URL = the server root;
//  - classify: an outcome reward model behind /classify (sequence score);
//  - judge:    any chat model asked whether the solution is correct; the
//              score is P("Yes") from the logprobs of its first token
//              (renormalised over Yes/No), base URL = the OpenAI base (/v1).
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/backend/balancer.hpp"
#include "optscale/backend/prm_input.hpp"
#include "optscale/backend/request_executor.hpp"
#include "optscale/backend/retry.hpp"

namespace optscale::backend {

enum class ScorerKind { pooling, classify, judge };

// Parses "pooling" | "classify" | "judge"; throws optscale::Error otherwise.
ScorerKind parse_scorer_kind(std::string_view name);

struct JudgeFormat {
  std::string system = "You are a careful grader of math solutions.";
  // Placeholders: {problem}, {response}.
  std::string prompt =
      "Here is a math problem and a proposed solution.\n\nProblem:\n{problem}\n\n"
      "Proposed solution:\n{response}\n\nIs the proposed solution correct? Answer Yes or No.";
  std::string yes = "Yes";
  std::string no = "No";
  int top_logprobs = 20;
};

struct ScorerConfig {
  ScorerKind kind = ScorerKind::pooling;
  std::vector<std::string> endpoints;
  std::string model;
  PrmFormat format;                       // pooling and classify inputs
  StepAggregation aggregation = StepAggregation::mean;
  int positive_index = 1;                 // class index of "good"
  std::string pooling_task;               // e.g. "token_classify" (vLLM >= 0.11); empty: not sent
  JudgeFormat judge;
  int batch_size = 16;                    // inputs per /pooling or /classify request
  int endpoint_concurrency = 0;
  nlohmann::json extra_body = nlohmann::json::object();
  std::string api_key;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  RetryPolicy retry;
  void validate() const;
};

struct ScoredSample {
  double score = 0.0;                // in [0, 1]
  std::vector<double> step_rewards;  // pooling only
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  // Inputs one request may carry.
  virtual int batch_size() const = 0;
  // Scores of `responses` to `problem` (at most batch_size() of them), in
  // order. Throws BackendError when the request fails for good, and
  // RequestCancelled.
  virtual std::vector<ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                          const RequestContext& context) = 0;
  // The JSON body of such a request (exposed for tests).
  virtual std::string request_body(std::string_view problem, std::span<const std::string> responses) const = 0;
};

std::unique_ptr<Scorer> make_scorer(ScorerConfig config);

}  // namespace optscale::backend
