// Counting the tokens of a scorer input, to keep inputs within the scorer's
// context (--scorer-max-input-tokens): with the scorer's own /tokenize when
// it has one, else with a documented estimate.
//
// /tokenize dialects, tried in this order on first use and remembered:
//  - vLLM and SGLang: POST /tokenize {"model", "prompt"} -> {"count", "tokens", ...};
//  - llama.cpp: POST /tokenize {"content"} -> {"tokens": [...]} (it answers an
//    empty list to a body without "content", so an empty answer to a
//    non-empty text moves on to this dialect).
// A scorer without either (404, or refusals) is counted by the estimate:
// ceil(bytes / 3), above what BPE tokenizers give for English and LaTeX
// (about 3.5 to 4.5 bytes per token), so that an estimated fit rarely
// overflows; a refusal that still happens fails only that sample.
#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "optscale/backend/balancer.hpp"
#include "optscale/backend/request_executor.hpp"
#include "optscale/backend/retry.hpp"

namespace optscale::backend {

class TokenCounter {
 public:
  TokenCounter(Balancer& balancer, RetryPolicy retry, HttpRequestOptions options, std::string model,
               std::function<void(const std::string&)> notice = {});

  // Tokens of `text` as the scorer counts them (or the estimate).
  long long count(const std::string& text, const RequestContext& context);

  // True when `text` is certainly within `budget` without asking: a text of
  // B bytes has at most B tokens with any byte-level tokenizer (every token
  // covers at least one byte; special tokens cover several).
  static bool surely_fits(std::string_view text, long long budget) {
    return static_cast<long long>(text.size()) <= budget;
  }
  static long long estimate(std::string_view text) { return static_cast<long long>((text.size() + 2) / 3); }

  // "vllm" (also SGLang), "llama.cpp", "estimate", or "unknown" before first use.
  std::string dialect() const;

 private:
  enum Dialect : int { unknown, prompt_field, content_field, none };
  // The count from one dialect's request; -1 when that dialect does not apply.
  long long ask(Dialect dialect, const std::string& text, const RequestContext& context);

  Balancer& balancer_;
  RetryPolicy retry_;
  HttpRequestOptions options_;
  std::string model_;
  std::function<void(const std::string&)> notice_;
  std::atomic<int> dialect_{unknown};
};

}  // namespace optscale::backend
