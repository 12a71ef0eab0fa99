// How real model servers behave where they differ from the mock's defaults,
// as settings of `optscale mock-server --personality NAME` (issue 10), each
// read in that server's source:
//  - vllm: /pooling and /classify refuse inputs longer than --max-model-len
//    with HTTP 400 "You passed N input tokens ... context length is only M";
//    POST /tokenize {"model","prompt"} -> {"count","max_model_len","tokens"};
//    choices carry no token counts (only with return_token_ids); the routes
//    are /v1/... for the OpenAI API and the root for /pooling, /classify,
//    /tokenize (so /chat/completions and /v1/pooling are 404); no GET
//    /v1/models/{id}.
//  - llama.cpp: n > --slots (its -np, default 4) is a 500 "n_cmpl cannot be
//    greater than the number of slots, please increase -np"; choices carry
//    no token counts and usage.completion_tokens counts the first choice only;
//    with "logprobs": true each choice's logprobs.content has one entry per
//    token (so counts per choice are known); POST /tokenize {"content"} ->
//    {"tokens"} (an empty list without "content"); both /v1/chat/completions
//    and /chat/completions; no /pooling; any model name is served (one
//    model per server); no GET /v1/models/{id}.
//  - sglang: /v1/classify over a one-logit reward head answers softmax over
//    that one logit, probs [1.0]; the native /classify at the root answers
//    the raw logit as "embedding"; /tokenize as vLLM's; choices carry no
//    token counts; any model name is served (its Python OpenAI routes do not
//    check it); GET /v1/models/{id} is served.
//  - ollama: n is ignored (one choice); no /pooling or /tokenize; GET
//    /v1/models/{id} is served.
// Individual flags set one behaviour each (--max-model-len, --slots,
// --judge-thinks, --fail-sample ID:K).
#pragma once
#include <string>
#include <string_view>

namespace optscale::mock {

struct MockOptions;

// Applies the named personality's settings; throws std::invalid_argument
// naming the choices for an unknown name.
void apply_mock_personality(std::string_view name, MockOptions& options);

// The mock's tokenizer, shared by /tokenize and the context-length check:
// every <...> tag without spaces (chat template and step tags) is one token,
// the rest one token per 4 bytes (rounded up per stretch between tags). So a
// text of B bytes never has more than B tokens, as with real BPE tokenizers.
long long mock_token_count(std::string_view text);

}  // namespace optscale::mock
