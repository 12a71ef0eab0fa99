// The request handling of `optscale mock-server`, apart from the HTTP wiring
// (and testable without it): OpenAI-compatible generation, vLLM /pooling and
// /classify scoring, /v1/embeddings, /v1/models and /health, all answered from
// a pool so that a live run over the pool reproduces an offline replay.
//
// Generation: the prompt's problem text picks the problem; the request's
// `seed` picks the sample: choice j of a request with seed S is sample
// (S - seed_base + j) of that problem, in pool order. Requests without a seed
// get the problem's next unserved samples. A seed far outside the pool
// (S - seed_base >= kWrappedSeedsFrom, as the proxy derives for clients that
// send none) picks sample (S - seed_base + j) mod the problem's sample count;
// a seed just past the pool's end, or below seed_base, is refused. Each choice carries its sample's
// token count in `completion_tokens` (and `token_ids` of that length when the
// request sets `return_token_ids`, as vLLM does); `usage` sums them.
//
// Scoring: the input is the Qwen chat template (the engine's default) or
// `messages`; the user turn picks the problem, the assistant turn (step tags
// turned back into the step separator) picks the sample. /pooling returns one
// [p_neg, p_pos] row per step tag: the pool's step_scores when they match the
// step count and average exactly to the score, else the score on every row,
// so the mean step reward is the pool score. /classify returns [1-s, s].
// A chat request asking for logprobs whose prompt quotes one of the problem's
// samples is a judging request: it answers "Yes"/"No" with
// log P(Yes) = log(score).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "optscale/pool/pool.hpp"
#include "optscale/server/mock_pool_index.hpp"

namespace optscale::server {

struct MockOptions {
  std::string model;               // empty: accept any model name; else others get 404
  long long seed_base = 0;         // seed of a problem's first sample
  int max_choices = 0;             // > 0: silently return at most this many choices
  bool reject_n = false;           // answer 400 to n > 1, as servers without `n` do
  bool choice_tokens = true;       // put completion_tokens in every choice
  std::string step_separator = "\n\n";
  std::string step_tag = "<extra_0>";
  int embedding_dimensions = 64;
};

struct MockReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class MockService {
 public:
  MockService(const pool::Pool& pool, MockOptions options);

  // Thread-safe. `method` is "GET" or "POST"; `path` excludes the query string.
  MockReply handle(std::string_view method, std::string_view path, std::string_view body);

  const MockPoolIndex& index() const { return index_; }
  const MockOptions& options() const { return options_; }

 private:
  MockReply chat_or_completion(std::string_view body, bool chat);
  MockReply pooling(std::string_view body);
  MockReply classify(std::string_view body);
  MockReply embeddings(std::string_view body);
  MockReply models() const;

  MockPoolIndex index_;
  MockOptions options_;
  std::unique_ptr<std::atomic<long long>[]> cursors_;  // per problem, for seedless requests
};

// An OpenAI-style error body {"object":"error","error":{...},"message":...}.
std::string mock_error_body(int status, std::string_view message);

}  // namespace optscale::server
