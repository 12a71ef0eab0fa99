#include "optscale/backend/generator.hpp"

#include <algorithm>

#include "optscale/backend/api_key.hpp"
#include "optscale/backend/openai_response.hpp"
#include "optscale/backend/prompt_template.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::backend {

using nlohmann::json;

void GeneratorConfig::validate() const {
  if (endpoints.empty()) throw Error("generator: no endpoint (--generator URL)");
  if (model.empty()) throw Error("generator: no model name (--model)");
  if (max_choices_per_request < 1) throw Error("generator: --max-n-per-request must be at least 1");
  if (!extra_body.is_object()) throw Error("generator: --extra-body must be a JSON object");
  for (const char* reserved : {"model", "messages", "prompt", "n", "seed"})
    if (extra_body.contains(reserved))
      throw Error(std::string("generator: --extra-body may not set '") + reserved +
                  "' (the engine sets it per request)");
  if (temperature && !(*temperature >= 0.0)) throw Error("generator: --temperature must be >= 0");
  if (top_p && !(*top_p > 0.0 && *top_p <= 1.0)) throw Error("generator: --top-p must be in (0, 1]");
  if (max_tokens && *max_tokens < 1) throw Error("generator: --max-tokens must be at least 1");
  if (timeout.count() <= 0) throw Error("generator: --request-timeout must be positive");
  retry.validate();
}

Generator::Generator(GeneratorConfig config, std::function<void(const std::string&)> notice)
    : config_(std::move(config)), notice_(std::move(notice)) {
  config_.validate();
  std::vector<std::string> bases;
  for (const std::string& url : config_.endpoints)
    bases.push_back(normalise_base_url(url, {"/chat/completions", "/completions"}));
  balancer_ = std::make_unique<Balancer>(std::move(bases), config_.endpoint_concurrency);
  path_ = config_.api == GenerationApi::chat ? "/chat/completions" : "/completions";
  if (config_.choices_mode == ChoicesMode::single) single_ = true;
}

int Generator::samples_per_request() const {
  return single_.load() ? 1 : config_.max_choices_per_request;
}

void Generator::fall_back_to_single(const std::string& why) {
  if (config_.choices_mode != ChoicesMode::automatic) return;
  if (!single_.exchange(true) && notice_)
    notice_(why + "; drawing one sample per request (with its own seed) from now on");
}

std::string Generator::request_body(std::string_view problem, long long seed, int count) const {
  json body = json::object();
  body["model"] = config_.model;
  const std::string prompt =
      render_template(config_.prompt_template, {{"problem", std::string(problem)}});
  if (config_.api == GenerationApi::chat) {
    json messages = json::array();
    if (!config_.system_prompt.empty())
      messages.push_back({{"role", "system"}, {"content", config_.system_prompt}});
    messages.push_back({{"role", "user"}, {"content", prompt}});
    body["messages"] = std::move(messages);
  } else {
    body["prompt"] = prompt;
  }
  if (count > 1) body["n"] = count;
  body["seed"] = seed;
  if (config_.temperature) body["temperature"] = *config_.temperature;
  if (config_.top_p) body["top_p"] = *config_.top_p;
  if (config_.max_tokens) body["max_tokens"] = *config_.max_tokens;
  if (!config_.stop.empty()) body["stop"] = config_.stop;
  for (const auto& [key, value] : config_.extra_body.items()) body[key] = value;
  return body.dump();
}

std::vector<GeneratedSample> Generator::generate(std::string_view problem, long long seed, int count,
                                                 const RequestContext& context) {
  count = std::clamp(count, 1, samples_per_request());
  return draw(path_, config_.api == GenerationApi::chat, request_body(problem, seed, count), count, context);
}

std::string Generator::chat_request_body(const json& chat_body, long long seed, int count) const {
  if (!chat_body.is_object()) throw Error("generator: a chat request body must be a JSON object");
  json body = chat_body;
  body.erase("n");
  if (!body.contains("model")) body["model"] = config_.model;
  if (count > 1) body["n"] = count;
  body["seed"] = seed;
  if (config_.temperature && !body.contains("temperature")) body["temperature"] = *config_.temperature;
  if (config_.top_p && !body.contains("top_p")) body["top_p"] = *config_.top_p;
  if (config_.max_tokens && !body.contains("max_tokens") && !body.contains("max_completion_tokens"))
    body["max_tokens"] = *config_.max_tokens;
  if (!config_.stop.empty() && !body.contains("stop")) body["stop"] = config_.stop;
  for (const auto& [key, value] : config_.extra_body.items())
    if (!body.contains(key)) body[key] = value;
  return body.dump();
}

std::vector<GeneratedSample> Generator::generate_chat(const json& chat_body, long long seed, int count,
                                                      const RequestContext& context) {
  count = std::clamp(count, 1, samples_per_request());
  return draw("/chat/completions", true, chat_request_body(chat_body, seed, count), count, context);
}

std::vector<GeneratedSample> Generator::draw(const std::string& path, bool chat, const std::string& body, int count,
                                             const RequestContext& context) {
  HttpRequestOptions options;
  options.timeout_s = std::chrono::duration<double>(config_.timeout).count();
  options.bearer_token = config_.api_key;
  options.cancel = context.cancel;
  std::vector<GeneratedSample> samples;
  run_with_retries(*balancer_, config_.retry, context, "generation", [&](const std::string& base) -> long {
    samples.clear();
    long status = 0;
    int asked = count;
    std::string answer;
    try {
      answer = post_json_checked(base + path, body, options, &status);
    } catch (const AttemptFailed& failed) {
      if (count > 1 && failed.kind == FailureKind::client_error &&
          config_.choices_mode == ChoicesMode::automatic) {
        // A 4xx to n > 1 is either the server refusing n or the request
        // itself being wrong. Ask once more with n = 1 (the same seed, so it
        // is the first of the samples asked for): only if that is answered
        // was it n. If it is refused too, that refusal is the error, and the
        // mode stays as it was.
        json single = util::parse_json(body, "the request body");  // our own, just built
        single.erase("n");
        answer = post_json_checked(base + path, single.dump(), options, &status);
        fall_back_to_single(redact_url(base) + " refused n=" + std::to_string(count) + " (HTTP " +
                            std::to_string(failed.status) + ": " + failed.message + ")");
        asked = 1;
      } else {
        throw;
      }
    }
    CompletionResponse parsed =
        parse_completion_response(answer, chat, config_.include_reasoning);
    if (parsed.choices.empty()) throw MalformedResponse("the response has no choices");
    if (parsed.choices.size() > static_cast<std::size_t>(asked))
      parsed.choices.resize(static_cast<std::size_t>(asked));
    const bool one_choice = parsed.choices.size() == 1;
    const bool per_choice_counts = std::all_of(parsed.choices.begin(), parsed.choices.end(),
                                               [](const CompletionChoice& c) { return c.tokens.has_value(); });
    if (!per_choice_counts && !(one_choice && parsed.usage_completion_tokens)) {
      if (asked > 1) {
        fall_back_to_single(redact_url(base) +
                            " gives no per-choice token counts with n > 1 (set --extra-body "
                            "'{\"return_token_ids\":true}' on vLLM to keep n)");
        return status;  // the choices cannot be accounted for: drop them
      }
      throw AttemptFailed(FailureKind::client_error, status,
                          "the response reports no completion token count (neither per choice nor in usage)");
    }
    if (parsed.choices.size() < static_cast<std::size_t>(asked))
      fall_back_to_single(redact_url(base) + " returned " + std::to_string(parsed.choices.size()) + " of " +
                          std::to_string(asked) + " requested choices");
    for (CompletionChoice& choice : parsed.choices) {
      long long tokens = choice.tokens ? *choice.tokens : *parsed.usage_completion_tokens;
      samples.push_back(GeneratedSample{std::move(choice.text), tokens, std::move(choice.finish_reason),
                                        parsed.usage_prompt_tokens.value_or(0)});
    }
    return status;
  });
  return samples;
}

}  // namespace optscale::backend
