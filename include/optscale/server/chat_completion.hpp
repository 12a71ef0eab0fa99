// The proxy's answer on the wire, in OpenAI's chat.completion shape (one
// choice: the returned sample) or, for `stream: true`, as server-sent events
// of chat.completion.chunk objects ending with "data: [DONE]". Streaming
// starts once the policy has decided, so the events carry the final text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "optscale/server/answer_summary.hpp"
#include "optscale/server/answerer.hpp"

namespace optscale::server {

struct CompletionHeader {
  std::string id;        // "chatcmpl-..."
  long long created = 0; // Unix seconds
  std::string model;
};

// usage = {prompt_tokens, completion_tokens: every sample's, total_tokens}.
std::string completion_body(const CompletionHeader& header, const AnswerResult& result,
                            const AnswerSummary& summary);

// Each element is one event ("data: {...}\n\n"): the role, the text in
// pieces, the finish reason with the `optscale` object, the usage when
// `include_usage`, then "data: [DONE]\n\n".
std::vector<std::string> completion_events(const CompletionHeader& header, const AnswerResult& result,
                                           const AnswerSummary& summary, bool include_usage,
                                           std::size_t piece_bytes = 64);

// `text` cut into pieces of at most `max_bytes` (>= 4) bytes, after a space
// or newline where one is near the end, never inside a UTF-8 sequence.
// Concatenated, the pieces are `text`.
std::vector<std::string_view> split_for_streaming(std::string_view text, std::size_t max_bytes);

}  // namespace optscale::server
