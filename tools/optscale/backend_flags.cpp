#include "backend_flags.hpp"

#include <filesystem>

#include "optscale/backend/api_key.hpp"
#include "optscale/backend/prompt_template.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::cli {
namespace {

std::optional<std::filesystem::path> optional_path(const std::string& path) {
  return path.empty() ? std::nullopt : std::optional<std::filesystem::path>(path);
}

}  // namespace

nlohmann::json parse_json_flag(const std::string& text, const char* flag) {
  nlohmann::json value;
  try {
    value = util::parse_json(text, flag);
  } catch (const util::JsonInputError& e) {
    if (e.kind() != util::JsonInputError::Kind::syntax) throw;
    throw Error(std::string(flag) + ": expected a JSON object");
  }
  if (!value.is_object()) throw Error(std::string(flag) + ": expected a JSON object");
  return value;
}

void add_generator_flags(CLI::App& sub, GeneratorFlags& f, const GeneratorFlagNames& names) {
  add_flag_option(sub, names.endpoint, f.endpoints,
                  "Generator base URL, e.g. http://host:8000/v1 (repeat for replicas)")->required();
  if (names.prompt_flags) {
    add_flag_option(sub, "--model", f.model, "Generator model name")->required();
    add_flag_option(sub, "--api", f.api, "chat (default) or completions");
    add_flag_option(sub, "--system-prompt", f.system_prompt, "System turn (chat; escapes allowed)");
    add_flag_option(sub, "--prompt-template", f.prompt_template,
                    "User turn (chat) or whole prompt (completions) with {problem} (default {problem})");
  } else {
    add_flag_option(sub, "--model", f.model, "Generator model name (for requests that name none)")->required();
  }
  const std::string note = names.sampling_note;
  add_flag_option(sub, "--temperature", f.temperature, "Sampling temperature" + note);
  add_flag_option(sub, "--top-p", f.top_p, "Nucleus sampling top_p" + note);
  add_flag_option(sub, "--max-tokens", f.max_tokens, "Completion token limit per sample" + note);
  add_flag_option(sub, "--stop", f.stop, "Stop sequence (repeatable)" + note);
  add_flag_option(sub, "--extra-body", f.extra_body, "JSON object merged into every generation request" + note);
  add_flag_option(sub, "--n-mode", f.n_mode,
                  "auto (several samples per request, falling back to one), native, single (default auto)");
  add_flag_option(sub, "--max-n-per-request", f.max_n_per_request, "Samples per request at most (default 16)");
  add_flag_option(sub, "--endpoint-concurrency", f.endpoint_concurrency,
                  "Requests in flight per generator endpoint (0: unlimited)");
  add_flag_option(sub, names.key_file, f.api_key_file, "Generator API key file (else $" + names.key_env + ")");
  sub.add_flag("--no-reasoning", f.no_reasoning, "Score message.content only, not split-off reasoning")
      ->envname(env_name("--no-reasoning"));
}

void add_scorer_flags(CLI::App& sub, ScorerFlags& f) {
  add_flag_option(sub, "--scorer", f.endpoints,
                  "Scorer base URL: server root for pooling/classify, /v1 base for judge (repeatable)")->required();
  add_flag_option(sub, "--scorer-kind", f.kind, "pooling (PRM, default), classify (ORM) or judge");
  add_flag_option(sub, "--scorer-model", f.model, "Scorer model name (judge: defaults to --model)");
  add_flag_option(sub, "--scorer-api-key-file", f.api_key_file, "Scorer API key file (else $OPTSCALE_SCORER_API_KEY)");
  add_flag_option(sub, "--prm-system", f.prm_system, "System prompt of the PRM input");
  add_flag_option(sub, "--prm-template", f.prm_template,
                  "PRM/ORM input template with {system}, {problem}, {response} (default: Qwen chat template)");
  add_flag_option(sub, "--step-separator", f.step_separator, "Step separator (escapes allowed; default \\n\\n)");
  add_flag_option(sub, "--step-tag", f.step_tag, "Step tag the PRM pools at (default <extra_0>)");
  add_flag_option(sub, "--aggregation", f.aggregation, "Step rewards -> score: mean (paper), last, min, product");
  add_flag_option(sub, "--positive-class", f.positive_class, "Class index of a good step/answer (default 1)");
  add_flag_option(sub, "--pooling-task", f.pooling_task, "`task` sent to /pooling (e.g. token_classify)");
  add_flag_option(sub, "--scorer-batch", f.batch, "Inputs per /pooling or /classify request (default 16)");
  add_flag_option(sub, "--scorer-endpoint-concurrency", f.endpoint_concurrency,
                  "Requests in flight per scorer endpoint (0: unlimited)");
  add_flag_option(sub, "--scorer-extra-body", f.extra_body, "JSON object merged into scoring requests");
  add_flag_option(sub, "--judge-system", f.judge_system, "Judge system prompt");
  add_flag_option(sub, "--judge-prompt", f.judge_prompt, "Judge prompt with {problem} and {response}");
  add_flag_option(sub, "--judge-yes", f.judge_yes, "The judge's positive word (default Yes)");
  add_flag_option(sub, "--judge-no", f.judge_no, "The judge's negative word (default No)");
}

void add_retry_flags(CLI::App& sub, RetryFlags& f) {
  add_flag_option(sub, "--max-attempts", f.max_attempts,
                  "Attempts per upstream request, the first included (default " + std::to_string(f.max_attempts) + ")");
  add_flag_option(sub, "--retry-base-delay", f.base_delay, "Backoff after the first failure, s (default 0.25)");
  add_flag_option(sub, "--retry-max-delay", f.max_delay, "Backoff cap, s (default 30)");
}

backend::RetryPolicy make_retry_policy(const RetryFlags& f) {
  backend::RetryPolicy retry;
  retry.max_attempts = f.max_attempts;
  retry.base_delay_s = f.base_delay;
  retry.max_delay_s = f.max_delay;
  retry.validate();
  return retry;
}

backend::GeneratorConfig make_generator_config(const GeneratorFlags& f, const GeneratorFlagNames& names,
                                               const backend::RetryPolicy& retry, std::chrono::milliseconds timeout) {
  backend::GeneratorConfig g;
  g.endpoints = f.endpoints;
  if (f.api != "chat" && f.api != "completions") throw Error("--api must be chat or completions");
  g.api = f.api == "chat" ? backend::GenerationApi::chat : backend::GenerationApi::completions;
  g.model = f.model;
  g.temperature = f.temperature;
  g.top_p = f.top_p;
  g.max_tokens = f.max_tokens;
  g.stop = f.stop;
  g.system_prompt = backend::decode_escapes(f.system_prompt);
  g.prompt_template = backend::decode_escapes(f.prompt_template);
  g.extra_body = parse_json_flag(f.extra_body, "--extra-body");
  if (f.n_mode == "auto") {
    g.choices_mode = backend::ChoicesMode::automatic;
  } else if (f.n_mode == "native") {
    g.choices_mode = backend::ChoicesMode::native;
  } else if (f.n_mode == "single") {
    g.choices_mode = backend::ChoicesMode::single;
  } else {
    throw Error("--n-mode must be auto, native or single");
  }
  g.max_choices_per_request = f.max_n_per_request;
  g.endpoint_concurrency = f.endpoint_concurrency;
  g.api_key = backend::load_api_key(optional_path(f.api_key_file), names.key_env);
  g.timeout = timeout;
  g.retry = retry;
  g.include_reasoning = !f.no_reasoning;
  return g;
}

backend::ScorerConfig make_scorer_config(const ScorerFlags& f, const backend::GeneratorConfig& generator,
                                         const backend::RetryPolicy& retry, std::chrono::milliseconds timeout) {
  backend::ScorerConfig s;
  s.kind = backend::parse_scorer_kind(f.kind);
  s.endpoints = f.endpoints;
  s.model = f.model.empty() ? (s.kind == backend::ScorerKind::judge ? generator.model : "") : f.model;
  if (s.model.empty()) throw Error("--scorer-model is required for the " + f.kind + " scorer");
  s.format.system = backend::decode_escapes(f.prm_system);
  s.format.chat_template = backend::decode_escapes(f.prm_template);
  s.format.step_separator = backend::decode_escapes(f.step_separator);
  s.format.step_tag = f.step_tag;
  s.aggregation = backend::parse_step_aggregation(f.aggregation);
  s.positive_index = f.positive_class;
  s.pooling_task = f.pooling_task;
  s.judge.system = backend::decode_escapes(f.judge_system);
  s.judge.prompt = backend::decode_escapes(f.judge_prompt);
  s.judge.yes = f.judge_yes;
  s.judge.no = f.judge_no;
  s.batch_size = f.batch;
  s.endpoint_concurrency = f.endpoint_concurrency;
  s.extra_body = parse_json_flag(f.extra_body, "--scorer-extra-body");
  s.api_key = backend::load_api_key(optional_path(f.api_key_file), "OPTSCALE_SCORER_API_KEY");
  if (s.api_key.empty() && s.kind == backend::ScorerKind::judge) s.api_key = generator.api_key;
  s.timeout = timeout;
  s.retry = retry;
  return s;
}

}  // namespace optscale::cli
