// Flags of the live engine's backends, shared by `optscale run` and
// `optscale serve` so that both name and parse them alike: the generator
// (endpoints, model, sampling, n handling, key), the scorer (kind, endpoints,
// PRM format, judge prompt, key) and retries.
#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "optscale/backend/generator.hpp"
#include "optscale/backend/scorer.hpp"

namespace optscale::cli {

struct GeneratorFlags {
  std::vector<std::string> endpoints;
  std::string model;
  std::string api = "chat";
  std::string system_prompt;
  std::string prompt_template = "{problem}";
  std::optional<double> temperature, top_p;
  std::optional<long long> max_tokens;
  std::vector<std::string> stop;
  std::string extra_body = "{}";
  std::string n_mode = "auto";
  int max_n_per_request = 16;
  int endpoint_concurrency = 0;
  std::string api_key_file;
  bool no_reasoning = false;
};

// How a subcommand names the generator's flags: `optscale run` uses
// --generator and --api-key-file; `optscale serve` --upstream and
// --upstream-api-key-file (its own --api-key-file is the clients' key) and
// has no prompt flags (its clients send whole conversations).
struct GeneratorFlagNames {
  std::string endpoint = "--generator";
  std::string key_file = "--api-key-file";
  std::string key_env = "OPTSCALE_API_KEY";
  bool prompt_flags = true;  // --api, --system-prompt, --prompt-template
  std::string sampling_note;  // appended to the help of sampling flags
};

struct ScorerFlags {
  std::vector<std::string> endpoints;
  std::string kind = "pooling";
  std::string model;
  std::string api_key_file;
  std::string prm_system = backend::PrmFormat{}.system;
  std::string prm_template = backend::PrmFormat{}.chat_template;
  std::string step_separator = "\\n\\n";
  std::string step_tag = "<extra_0>";
  std::string aggregation = "mean";
  int positive_class = 1;
  std::string pooling_task;
  int batch = 16;
  int endpoint_concurrency = 0;
  std::string extra_body = "{}";
  std::string judge_system = backend::JudgeFormat{}.system;
  std::string judge_prompt = backend::JudgeFormat{}.prompt;
  std::string judge_yes = "Yes", judge_no = "No";
  std::string judge_unreadable = "fail";
  std::string classify_activation = "auto";
  std::optional<long long> max_input_tokens;
};

struct RetryFlags {
  int max_attempts = 8;
  double base_delay = 0.25, max_delay = 30;
};

void add_generator_flags(CLI::App& sub, GeneratorFlags& flags, const GeneratorFlagNames& names);
void add_scorer_flags(CLI::App& sub, ScorerFlags& flags);
void add_retry_flags(CLI::App& sub, RetryFlags& flags);

// The configurations the flags describe (keys loaded from their files or
// variables). Throws optscale::Error naming the flag for bad values.
backend::RetryPolicy make_retry_policy(const RetryFlags& flags);
backend::GeneratorConfig make_generator_config(const GeneratorFlags& flags, const GeneratorFlagNames& names,
                                               const backend::RetryPolicy& retry, std::chrono::milliseconds timeout);
// A judge defaults to the generator's model and key.
backend::ScorerConfig make_scorer_config(const ScorerFlags& flags, const backend::GeneratorConfig& generator,
                                         const backend::RetryPolicy& retry, std::chrono::milliseconds timeout);

// A flag holding a JSON object; throws optscale::Error naming the flag.
nlohmann::json parse_json_flag(const std::string& text, const char* flag);

}  // namespace optscale::cli
