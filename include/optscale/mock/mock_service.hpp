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
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "optscale/pool/pool.hpp"
#include "optscale/mock/mock_pool_index.hpp"

namespace optscale::mock {

// Real-server behaviours (see mock_personality.hpp).
enum class MockTokenize { off, prompt_field, content_field };  // vLLM/SGLang, llama.cpp
enum class MockRoutes { any, vllm, llama_cpp, sglang, ollama };

struct MockOptions {
  std::string model;               // empty: accept any model name; else others get 404
  long long seed_base = 0;         // seed of a problem's first sample
  int max_choices = 0;             // > 0: silently return at most this many choices
  bool reject_n = false;           // answer 400 to n > 1, as servers without `n` do
  bool choice_tokens = true;       // put completion_tokens in every choice
  std::string step_separator = "\n\n";
  std::string step_tag = "<extra_0>";
  int embedding_dimensions = 64;

  // Real-server behaviours (mock_personality.hpp); the defaults are the
  // mock's own lenient ones.
  std::string personality;             // the name applied, for messages
  MockRoutes routes = MockRoutes::any;  // which paths exist (others: 404 as that server answers)
  long long max_model_len = 0;         // > 0: scoring inputs longer than this are refused (vLLM's 400)
  MockTokenize tokenize = MockTokenize::off;  // POST /tokenize, in this server's dialect
  int slots = 0;                       // > 0: n above it is a 500 (llama.cpp's -np)
  bool usage_first_choice_only = false;  // usage.completion_tokens of the first choice only (llama.cpp)
  bool logprobs_count_tokens = false;  // "logprobs": true gives each choice one logprobs entry per token
  bool classify_one_logit = false;     // /v1/classify softmaxes one logit; root /classify gives the logit
  bool classify_sigmoid = false;       // a one-logit head as vLLM answers it: probs [sigmoid(logit)], 1 class
  bool judge_thinks = false;           // judge replies start with "<think>": no verdict word in top logprobs
  bool any_model = false;              // serve any requested model name (llama.cpp, SGLang ignore it)
  // Generations whose seed picks one of these samples (problem id, sample
  // index) are answered 500, as llama.cpp does when its chat parser meets
  // invalid UTF-8 in that completion.
  std::vector<std::pair<std::string, long long>> failing_samples;
};

struct MockReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
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
  MockReply tokenize(std::string_view body) const;
  // The sample whose text is `text`, else the first whose leading steps it
  // is (second: true); throws MockLookupError.
  std::pair<std::size_t, bool> find_sample_or_prefix(std::size_t problem, std::string_view text) const;
  MockReply native_classify(std::string_view body);
  // A path that this personality's server does not serve, or nullopt.
  std::optional<MockReply> refuse_route(std::string_view method, std::string_view path) const;
  MockReply models() const;
  MockReply model(std::string_view id) const;  // GET /v1/models/{id}

  MockPoolIndex index_;
  MockOptions options_;
  std::unique_ptr<std::atomic<long long>[]> cursors_;  // per problem, for seedless requests
};

// An OpenAI-style error body {"object":"error","error":{...},"message":...}.
std::string mock_error_body(int status, std::string_view message);

}  // namespace optscale::mock
