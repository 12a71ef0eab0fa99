// Streaming and single-model lookups for `optscale mock-server`, as OpenAI
// servers answer them: a completion asked for with "stream": true comes as
// server-sent events (chunks of each choice's text, a chunk with its
// finish_reason, a usage chunk when stream_options.include_usage is true,
// then "data: [DONE]"), and GET /v1/models/{id} gives one model object.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace optscale::mock {

// Whether a generation request asks for a stream.
bool wants_stream(const nlohmann::json& request);

// The event stream of a whole chat.completion or text_completion body.
std::string completion_event_stream(const nlohmann::json& completion, bool include_usage);

}  // namespace optscale::mock
