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
  // Servers disagree about a completion's default length: vLLM's
  // /completions stops at 16 tokens, llama.cpp's never stops. Neither is
  // what a user means, so the engine does not guess.
  if (api == GenerationApi::completions && !max_tokens && !extra_body.contains("max_tokens"))
    throw Error("generator: --api completions needs --max-tokens (servers' defaults differ: vLLM's "
                "/completions stops after 16 tokens, llama.cpp's runs to the context limit)");
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
  bool checked_single = false;
  std::string single_body;  // set once n = 1 was tried: retries then send it, since n was not the issue
  if (count > 1) {
    json single = util::parse_json(body, "the request body");  // our own, just built
    single.erase("n");
    single_body = single.dump();
  }
  run_with_retries(*balancer_, config_.retry, context, "generation",
                   [&](const std::string& base, AttemptRecord& record) -> long {
    samples.clear();
    long status = 0;
    int asked = count;
    record.count = count;
    std::string answer;
    const auto start = std::chrono::steady_clock::now();
    try {
      if (checked_single) {
        record.count = 1;
        asked = 1;
        answer = post_json_checked(base + path, single_body, options, &status);
        fall_back_to_single(redact_url(base) + " refused n=" + std::to_string(count) + " but answered n=1");
      } else {
        answer = post_json_checked(base + path, body, options, &status);
      }
    } catch (const AttemptFailed& failed) {
      const bool refusal = failed.kind == FailureKind::client_error || failed.kind == FailureKind::server_error;
      if (count > 1 && refusal && config_.choices_mode == ChoicesMode::automatic && !checked_single && asked > 1) {
        // A failed n > 1 is either the server refusing n (llama.cpp answers
        // 500 "n_cmpl cannot be greater than the number of slots", some
        // builds 400) or the request itself being wrong, whatever the
        // status. Ask once more with n = 1 (the same seed, so it is the first
        // of the samples asked for): only if that is answered was it n. If
        // it is refused too, that refusal is the attempt's failure and the
        // mode stays as it was, and the retries send n = 1 (its failure is
        // the one that matters now). The n > 1 request is an attempt of its
        // own in the record, so that requests show what was sent.
        checked_single = true;
        if (context.on_attempt) {
          AttemptRecord refused = record;
          refused.http_status = failed.status;
          refused.failure = failed.kind;
          refused.error = failed.message;
          refused.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          context.on_attempt(refused);
        }
        record.count = 1;
        answer = post_json_checked(base + path, single_body, options, &status);
        fall_back_to_single(redact_url(base) + " refused n=" + std::to_string(count) + " (HTTP " +
                            std::to_string(failed.status) + ": " + failed.message + ") but answered n=1");
        asked = 1;
      } else {
        throw;
      }
    }
    CompletionResponse parsed =
        parse_completion_response(answer, chat, config_.include_reasoning);
    if (parsed.choices.empty()) throw MalformedResponse("the response has no choices");
    if (parsed.choices.size() > static_cast<std::size_t>(asked)) {
      for (std::size_t j = static_cast<std::size_t>(asked); j < parsed.choices.size(); ++j)
        record.wasted_tokens += parsed.choices[j].tokens.value_or(0);
      parsed.choices.resize(static_cast<std::size_t>(asked));
    }
    const bool one_choice = parsed.choices.size() == 1;
    const bool per_choice_counts = std::all_of(parsed.choices.begin(), parsed.choices.end(),
                                               [](const CompletionChoice& c) { return c.tokens.has_value(); });
    if (!per_choice_counts && !(one_choice && parsed.usage_completion_tokens)) {
      if (asked > 1) {
        const std::string what = redact_url(base) + " returned " + std::to_string(parsed.choices.size()) +
                                 " choices without per-choice token counts";
        if (config_.choices_mode == ChoicesMode::native)
          throw AttemptFailed(FailureKind::unsupported, status,
                              "--n-mode native: " + what +
                                  ", so the samples cannot be accounted for; use --n-mode auto (one sample per "
                                  "request after the first such answer) or --n-mode single, or make the server "
                                  "count per choice (vLLM: --extra-body '{\"return_token_ids\":true}'; llama.cpp "
                                  "chat: --extra-body '{\"logprobs\":true}')");
        // The choices cannot be accounted for: drop them, and count what
        // the server says it generated (llama.cpp's usage counts only the
        // first choice, so this is a lower bound).
        record.wasted_tokens += parsed.usage_completion_tokens.value_or(0);
        fall_back_to_single(what + " (set --extra-body '{\"return_token_ids\":true}' on vLLM, or "
                                   "'{\"logprobs\":true}' on llama.cpp's chat endpoint, to keep n)");
        return status;
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
