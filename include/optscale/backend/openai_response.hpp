// Parsing OpenAI-compatible responses as servers actually send them:
// completions and chat completions (with the per-choice token counts each
// server offers), judge verdicts from logprobs, and error bodies.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::backend {

// A 2xx body that does not have the documented shape (retryable: a proxy or
// a dropped connection can garble it).
class MalformedResponse : public Error {
 public:
  using Error::Error;
};

struct CompletionChoice {
  std::string text;
  // This choice's completion tokens, from the first of: `completion_tokens`
  // (optscale mock), `usage.completion_tokens`, `tokens_predicted` (llama.cpp
  // native /completion only),
  // the length of `token_ids` (vLLM return_token_ids), the length of
  // logprobs.content (chat) or logprobs.tokens (completions).
  std::optional<long long> tokens;
  std::string finish_reason;
};

struct CompletionResponse {
  std::vector<CompletionChoice> choices;            // ordered by their `index`
  std::optional<long long> usage_completion_tokens;  // whole request
  std::optional<long long> usage_prompt_tokens;      // the prompt, once per request
};

// Chat: the text is message.content; when the server splits off reasoning
// (`reasoning_content` or `reasoning`, as vLLM's reasoning parsers do) and
// `include_reasoning` is set, the text is reasoning + "\n\n" + content, since
// verifiers score the whole completion. Throws MalformedResponse.
CompletionResponse parse_completion_response(std::string_view body, bool chat,
                                             bool include_reasoning = true);

// A judge's P(yes | yes or no) from the first generated token's top logprobs
// (chat `logprobs.content[0].top_logprobs`, or completions
// `logprobs.top_logprobs[0]`). Tokens match after trimming spaces,
// case-insensitively; probabilities of matching variants add up. nullopt
// when neither word is among the top tokens: the reply is unreadable (a
// judge that thinks before answering, or llama.cpp, whose logprobs are taken
// before grammar, json_schema and logit_bias apply), which is not a "No".
// Throws MalformedResponse without logprobs.
std::optional<double> parse_judge_response(std::string_view body, std::string_view yes, std::string_view no);

// A short message from an error body ({"error":{"message"}}, {"message"},
// {"detail"}, or the raw text cut to 300 characters).
std::string server_error_message(std::string_view body);

}  // namespace optscale::backend
