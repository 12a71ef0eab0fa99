// A client's POST /v1/chat/completions, read and checked: what goes upstream
// for every sample, what the verifier judges (the last user turn), how the
// client wants the answer (stream or not), and its per-request overrides of
// the policy (the `optscale` field).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace optscale::server {

// {"optscale": {"target": 0.9, "confidence": 0.99, "budget": 8, "policy": "bon:n=4"}}
struct RequestOverrides {
  std::optional<double> target;       // s*, in [0, 1]
  std::optional<double> confidence;   // 1 - delta, in (0, 1)
  std::optional<int> budget;          // n, >= 1
  std::optional<std::string> policy;  // a whole strategy spec replacing the server's
  bool any() const { return target || confidence || budget || policy; }
};

struct ChatRequest {
  // The client's body less the fields the proxy owns (n, stream,
  // stream_options, optscale): messages, model and sampling parameters.
  nlohmann::json upstream_body;
  std::string model;               // "" when the client named none
  std::string problem;             // text of the last user turn
  bool stream = false;
  bool include_usage = false;      // stream_options.include_usage
  int n = 1;                       // choices the client asked for
  std::optional<long long> seed;   // the client's seed
  bool uses_tools = false;         // `tools` or `functions` present
  bool has_overrides_field = false;
  RequestOverrides overrides;
};

// Throws ApiError(400) naming the field for malformed JSON, a body that is
// not an object, missing or malformed `messages`, no user turn, or a field of
// the wrong type or range (n, stream, stream_options, seed, optscale.*).
ChatRequest parse_chat_request(std::string_view body);

// Why a request goes to the upstream untouched, or nullopt when the proxy
// answers it with Best-of-N: the header `X-OptScale: off`, the client asking
// for n > 1 choices itself, or tool calling (a verifier of solutions cannot
// rank tool calls). Throws ApiError(400) when the body also carries
// `optscale` overrides, which a pass-through request would silently drop.
std::optional<std::string> passthrough_reason(const ChatRequest& request, std::string_view optscale_header);

}  // namespace optscale::server
