// Drawing samples from an OpenAI-compatible server (vLLM, SGLang, llama.cpp
// server, Ollama, OpenAI): /chat/completions or /completions under the base
// URL users copy (http://host:8000/v1), across replicas, with retries.
//
// Sample k of a problem is drawn with seed `seed_base + k`, so a rerun or a
// resumed run asks for exactly the same samples. Several samples go in one
// request with `n` where the server honours it; the generator learns when it
// does not - a refusal of n > 1 that the same request with n = 1 does not
// get (a request refused either way is an error, not a lesson about n),
// fewer choices than asked (LiteLLM-style
// silent dropping), or choices without their own token counts - and from then
// on sends one request per sample (with its own seed), warning once. Token
// counts are per sample, never a share of a total.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/backend/balancer.hpp"
#include "optscale/backend/request_executor.hpp"
#include "optscale/backend/retry.hpp"

namespace optscale::backend {

enum class GenerationApi { chat, completions };
enum class ChoicesMode {
  automatic,  // ask for several per request; fall back to one when the server does not cope
  native,     // always ask for several (a server known to honour n)
  single,     // one per request, always
};

struct GeneratorConfig {
  std::vector<std::string> endpoints;      // base URLs, e.g. http://host:8000/v1
  GenerationApi api = GenerationApi::chat;
  std::string model;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<long long> max_tokens;
  std::vector<std::string> stop;
  std::string system_prompt;               // chat only; empty: no system turn
  std::string prompt_template = "{problem}";  // chat: the user turn; completions: the whole prompt
  nlohmann::json extra_body = nlohmann::json::object();  // merged into every request
  ChoicesMode choices_mode = ChoicesMode::automatic;
  int max_choices_per_request = 16;
  int endpoint_concurrency = 0;            // per endpoint; 0: unlimited
  std::string api_key;                     // sent as a bearer token, never logged
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  RetryPolicy retry;
  bool include_reasoning = true;           // prepend split-off reasoning to the text
  // Throws optscale::Error for an inconsistent configuration (no endpoint or
  // model, extra_body overriding model/messages/prompt/n/seed, ...).
  void validate() const;
};

struct GeneratedSample {
  std::string text;
  long long tokens = 0;
  std::string finish_reason;
  long long prompt_tokens = 0;  // the request's prompt as the server counts it (0: not reported)
};

class Generator {
 public:
  // `notice` receives one-line warnings (e.g. falling back to one sample per
  // request); it may be called from any thread.
  explicit Generator(GeneratorConfig config, std::function<void(const std::string&)> notice = {});

  // How many samples one request may carry now (1 once the server showed it
  // cannot do more).
  int samples_per_request() const;

  // Draws up to `count` samples (seeds seed, seed+1, ...), at most
  // samples_per_request() of them; may return fewer (even none) when the
  // server returned fewer choices, in which case the caller asks again for
  // the rest. Throws BackendError when the request fails for good, and
  // RequestCancelled.
  std::vector<GeneratedSample> generate(std::string_view problem, long long seed, int count,
                                        const RequestContext& context);

  // The JSON body of such a request (exposed for tests and --dry-run).
  std::string request_body(std::string_view problem, long long seed, int count) const;

  // As generate(), for a chat request given whole (`optscale serve` relays a
  // client's messages and sampling parameters): the body is `chat_body` with
  // `n` and `seed` set by the generator; the configured model, sampling
  // settings and extra body fill in only fields the body lacks. Chat API only.
  std::vector<GeneratedSample> generate_chat(const nlohmann::json& chat_body, long long seed, int count,
                                             const RequestContext& context);
  std::string chat_request_body(const nlohmann::json& chat_body, long long seed, int count) const;

  const GeneratorConfig& config() const { return config_; }
  Balancer& balancer() { return *balancer_; }

 private:
  void fall_back_to_single(const std::string& why);
  // POSTs `body` (asking for `count` samples) with retries and parses the answer.
  std::vector<GeneratedSample> draw(const std::string& path, bool chat, const std::string& body, int count,
                                    const RequestContext& context);

  GeneratorConfig config_;
  std::function<void(const std::string&)> notice_;
  std::unique_ptr<Balancer> balancer_;
  std::string path_;
  std::atomic<bool> single_{false};
};

}  // namespace optscale::backend
