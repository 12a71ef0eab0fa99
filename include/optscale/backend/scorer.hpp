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
#include <optional>
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

// What turns raw /classify logits into a probability (responses that carry
// logits, as SGLang's native /classify does; `probs` are taken as sent).
enum class ClassifyActivation {
  automatic,  // sigmoid of a single logit, softmax over two or more
  sigmoid,    // sigmoid of the positive class's logit
  softmax,    // softmax over the logits
  none,       // the value itself (must be in [0, 1])
};
ClassifyActivation parse_classify_activation(std::string_view name);

struct JudgeFormat {
  std::string system = "You are a careful grader of math solutions.";
  // Placeholders: {problem}, {response}.
  std::string prompt =
      "Here is a math problem and a proposed solution.\n\nProblem:\n{problem}\n\n"
      "Proposed solution:\n{response}\n\nIs the proposed solution correct? Answer Yes or No.";
  std::string yes = "Yes";
  std::string no = "No";
  int top_logprobs = 20;
  // The score of a reply whose first token's top logprobs name neither
  // word; nullopt: such a sample is not scored (it is recorded as failed).
  std::optional<double> unreadable_score;
};

struct ScorerConfig {
  ScorerKind kind = ScorerKind::pooling;
  std::vector<std::string> endpoints;
  std::string model;
  PrmFormat format;                       // pooling and classify inputs
  StepAggregation aggregation = StepAggregation::mean;
  int positive_index = 1;                 // class index of "good"
  std::string pooling_task;               // e.g. "token_classify" (vLLM >= 0.11.1); empty: not sent
  JudgeFormat judge;
  ClassifyActivation classify_activation = ClassifyActivation::automatic;
  // Pooling and classify: inputs longer than this many tokens keep the
  // problem and as many whole leading steps as fit (see prm_input.hpp);
  // nullopt: sent whole.
  std::optional<long long> max_input_tokens;
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
  std::vector<double> step_rewards;  // pooling only (of the steps sent)
  // Non-empty: the sample could not be scored (its input was refused, alone,
  // or the judge's reply was unreadable without a fallback); why. The score
  // is then meaningless and the sample is left out of the observations.
  std::string failure;
  bool unreadable = false;           // judge: neither verdict word; score is the fallback
  std::size_t steps_total = 0;       // pooling/classify: steps of the response
  std::size_t steps_sent = 0;        //   of which sent (fewer: cut to fit the input budget)
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  // Inputs one request may carry.
  virtual int batch_size() const = 0;
  // Scores of `responses` to `problem` (at most batch_size() of them), in
  // order. An input the scorer refuses (alone: a refused batch is split until
  // the refused inputs are found) comes back with its `failure` set. Throws
  // BackendError when the scorer fails for everything (unreachable, wrong
  // URL, model or key, ...), and RequestCancelled.
  virtual std::vector<ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                          const RequestContext& context) = 0;
  // The JSON body of such a request (exposed for tests).
  virtual std::string request_body(std::string_view problem, std::span<const std::string> responses) const = 0;
};

// `notice` receives one-line warnings (every score of a batch identical,
// token counts estimated); it may be called from any thread.
std::unique_ptr<Scorer> make_scorer(ScorerConfig config, std::function<void(const std::string&)> notice = {});

}  // namespace optscale::backend
