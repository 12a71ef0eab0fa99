// optscale run: adaptive sampling against live model servers (docs/engine.md).
// Draws samples from an OpenAI-compatible generator, scores them with a
// reward model (or a judge), lets the strategy decide per problem how many to
// draw, and writes one result per problem; every step goes to a crash-safe
// run store so that `--resume` continues after a crash or kill -9.
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "optscale/backend/api_key.hpp"
#include "optscale/backend/generator.hpp"
#include "optscale/backend/prompt_template.hpp"
#include "optscale/backend/scorer.hpp"
#include "optscale/engine/controller.hpp"
#include "optscale/engine/priors.hpp"
#include "optscale/engine/problems.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/predict/prior_source.hpp"
#include "optscale/server/mock_faults.hpp"
#include "optscale/store/run_store.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

using nlohmann::json;

struct RunFlags {
  std::string problems, strategy, out, store, priors, predictor;
  bool resume = false;
  std::vector<std::string> generators;
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
  std::vector<std::string> scorers;
  std::string scorer_kind = "pooling";
  std::string scorer_model;
  std::string scorer_api_key_file;
  std::string prm_system = backend::PrmFormat{}.system;
  std::string prm_template = backend::PrmFormat{}.chat_template;
  std::string step_separator = "\\n\\n";
  std::string step_tag = "<extra_0>";
  std::string aggregation = "mean";
  int positive_class = 1;
  std::string pooling_task;
  int scorer_batch = 16;
  int scorer_endpoint_concurrency = 0;
  std::string scorer_extra_body = "{}";
  std::string judge_system = backend::JudgeFormat{}.system;
  std::string judge_prompt = backend::JudgeFormat{}.prompt;
  std::string judge_yes = "Yes", judge_no = "No";
  int max_in_flight = 64;
  int scorer_in_flight = 0;
  std::optional<long long> token_budget;
  long long seed = 0;
  double request_timeout = 600;
  int max_attempts = 8;
  double retry_base_delay = 0.25, retry_max_delay = 30;
  std::string answer_grouping = "equivalent";
  double progress_interval = -1;
  bool quiet = false;
  bool json_output = false;
};

json parse_json_flag(const std::string& text, const char* flag) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) throw Error(std::string(flag) + ": expected a JSON object");
  return value;
}

std::string file_digest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(server::fnv1a64(content)));
  return hex;
}

void on_signal(int) { engine::Controller::interrupt(); }

int run_engine(RunFlags f) {
  if (f.out.empty()) throw Error("--out is required");
  if (f.store.empty()) f.store = f.out + ".db";
  auto problems = engine::read_problems(f.problems);
  auto strategies = policy::make_strategies(f.strategy);
  if (strategies.size() != 1)
    throw Error("--strategy '" + f.strategy + "' expands to " + std::to_string(strategies.size()) +
                " strategies; a live run takes one (no '|' lists)");
  const policy::Strategy& strategy = *strategies.front();
  // The priors' source: the spec's predictor=/priors= or the flags, one of them.
  if (!f.priors.empty() && !f.predictor.empty()) throw Error("give --priors or --predictor, not both");
  std::optional<predict::PriorSource> prior_source = strategy.prior_source();
  const std::string flag = !f.priors.empty() ? "--priors" : !f.predictor.empty() ? "--predictor" : "";
  if (prior_source && !flag.empty())
    throw Error("--strategy names " + prior_source->key() + " and " + flag + " names " +
                (flag == "--priors" ? f.priors : f.predictor) + ": give the priors' source once");
  if (!f.priors.empty()) prior_source = predict::PriorSource{predict::PriorSource::Kind::priors_file, f.priors};
  if (!f.predictor.empty()) prior_source = predict::PriorSource{predict::PriorSource::Kind::model, f.predictor};
  std::string priors_file, predictor_file;
  if (prior_source) {
    engine::apply_prior_source(*prior_source, problems);
    (prior_source->kind == predict::PriorSource::Kind::model ? predictor_file : priors_file) =
        prior_source->file().string();
  }

  backend::RetryPolicy retry;
  retry.max_attempts = f.max_attempts;
  retry.base_delay_s = f.retry_base_delay;
  retry.max_delay_s = f.retry_max_delay;
  if (!(f.request_timeout > 0)) throw Error("--request-timeout must be positive");
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(f.request_timeout * 1000));

  backend::GeneratorConfig g;
  g.endpoints = f.generators;
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
  g.api_key = backend::load_api_key(f.api_key_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(f.api_key_file),
                                    "OPTSCALE_API_KEY");
  g.timeout = timeout;
  g.retry = retry;
  g.include_reasoning = !f.no_reasoning;

  backend::ScorerConfig s;
  s.kind = backend::parse_scorer_kind(f.scorer_kind);
  s.endpoints = f.scorers;
  s.model = f.scorer_model.empty() ? (s.kind == backend::ScorerKind::judge ? f.model : "") : f.scorer_model;
  if (s.model.empty()) throw Error("--scorer-model is required for the " + f.scorer_kind + " scorer");
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
  s.batch_size = f.scorer_batch;
  s.endpoint_concurrency = f.scorer_endpoint_concurrency;
  s.extra_body = parse_json_flag(f.scorer_extra_body, "--scorer-extra-body");
  s.api_key = backend::load_api_key(
      f.scorer_api_key_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(f.scorer_api_key_file),
      "OPTSCALE_SCORER_API_KEY");
  if (s.api_key.empty() && s.kind == backend::ScorerKind::judge) s.api_key = g.api_key;
  s.timeout = timeout;
  s.retry = retry;

  engine::RunOptions options;
  options.seed = f.seed;
  options.max_in_flight = f.max_in_flight;
  options.scorer_in_flight = f.scorer_in_flight;
  options.token_budget = f.token_budget;
  options.answer_grouping = answers::parse_answer_grouping(f.answer_grouping);
  options.progress_terminal = isatty(STDERR_FILENO) != 0;
  options.progress_interval_s = f.progress_interval >= 0 ? f.progress_interval : (options.progress_terminal ? 1.0 : 10.0);
  options.validate();

  // What the results depend on; a resume must repeat it exactly. (Endpoints,
  // keys, concurrency, timeouts and retries may change between sessions.)
  json settings = {
      {"strategy", strategy.spec()}, {"seed", f.seed}, {"problems_digest", file_digest(f.problems)},
      {"priors_digest", priors_file.empty() ? std::string() : file_digest(priors_file)},
      {"predictor_digest", predictor_file.empty() ? std::string() : file_digest(predictor_file)},
      {"model", g.model}, {"api", f.api}, {"system_prompt", g.system_prompt},
      {"prompt_template", g.prompt_template},
      {"temperature", g.temperature ? json(*g.temperature) : json(nullptr)},
      {"top_p", g.top_p ? json(*g.top_p) : json(nullptr)},
      {"max_tokens", g.max_tokens ? json(*g.max_tokens) : json(nullptr)}, {"stop", g.stop},
      {"extra_body", g.extra_body}, {"include_reasoning", g.include_reasoning},
      {"scorer_kind", f.scorer_kind}, {"scorer_model", s.model}, {"prm_system", s.format.system},
      {"prm_template", s.format.chat_template}, {"step_separator", s.format.step_separator},
      {"step_tag", s.format.step_tag}, {"aggregation", f.aggregation}, {"positive_class", s.positive_index},
      {"pooling_task", s.pooling_task}, {"scorer_extra_body", s.extra_body},
      {"judge", {{"system", s.judge.system}, {"prompt", s.judge.prompt}, {"yes", s.judge.yes}, {"no", s.judge.no}}},
      {"answer_grouping", f.answer_grouping},
      {"token_budget", f.token_budget ? json(*f.token_budget) : json(nullptr)}};

  const bool existed = std::filesystem::exists(f.store);
  store::RunStore store(f.store);
  if (store.has_run() && !f.resume)
    throw Error("run store " + f.store + " holds a run already: add --resume to continue it, or remove it");
  std::vector<std::string> ids;
  for (const auto& p : problems) ids.push_back(p.id);
  store.begin_run(settings, ids);
  if (!f.quiet && f.resume && existed)
    std::cerr << "optscale run: resuming " << f.store << " (" << store.finished_problems().size() << " of "
              << problems.size() << " problems done, " << store.count("samples") << " samples stored)\n";

  auto notice = [quiet = f.quiet](const std::string& line) {
    if (!quiet) std::cerr << "optscale run: warning: " << line << "\n";
  };
  backend::Generator generator(g, notice);
  auto scorer = backend::make_scorer(s);
  std::ofstream results(f.out, std::ios::binary | std::ios::trunc);
  if (!results) throw Error("--out " + f.out + ": cannot be written");

  struct sigaction action {};
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  engine::Controller controller(strategy, generator, *scorer, store, options);
  engine::RunSummary summary = controller.run(problems, results, f.quiet ? nullptr : &std::cerr);
  results.close();
  json report = summary.to_json();
  report["strategy"] = strategy.spec();
  report["out"] = f.out;
  report["store"] = f.store;
  if (f.json_output) {
    std::cout << report.dump() << "\n";
  } else {
    std::cout << "strategy " << strategy.spec() << ": " << summary.problems << " problems";
    if (summary.graded > 0)
      std::cout << ", accuracy " << report["accuracy"].get<double>() * 100 << "% (" << summary.correct << "/"
                << summary.graded << ")";
    std::cout << ", mean samples " << report["mean_samples"].get<double>() << ", mean tokens "
              << report["mean_tokens"].get<double>() << "\nresults: " << f.out << ", store: " << f.store << "\n";
  }
  return 0;
}

const CommandRegistration registration{
    "run",
    "Adaptive sampling against live model servers, with a crash-safe run store (--resume)",
    [](CLI::App& sub) {
      auto f = std::make_shared<RunFlags>();
      add_flag_option(sub, "--problems", f->problems, "Problems (JSONL: id, problem, gold?, prior?; a pool works)")->required();
      add_flag_option(sub, "--strategy", f->strategy, "Strategy spec, as for `optscale eval` (one, no lists)")->required();
      add_flag_option(sub, "--out", f->out, "Results file (JSONL, one line per problem, in problem order)")->required();
      add_flag_option(sub, "--store", f->store, "Run database (SQLite; default: <out>.db)");
      sub.add_flag("--resume", f->resume, "Continue the run recorded in --store")->envname(env_name("--resume"));
      add_flag_option(sub, "--priors", f->priors, "Priors [mu, sigma] per problem (JSON list or {id: [mu, sigma]})");
      add_flag_option(sub, "--predictor", f->predictor,
                      "Predict each problem's prior (and its uncertainty) with this model file, or 'default'");
      add_flag_option(sub, "--generator", f->generators,
                      "Generator base URL, e.g. http://host:8000/v1 (repeat for replicas)")->required();
      add_flag_option(sub, "--model", f->model, "Generator model name")->required();
      add_flag_option(sub, "--api", f->api, "chat (default) or completions");
      add_flag_option(sub, "--system-prompt", f->system_prompt, "System turn (chat; escapes allowed)");
      add_flag_option(sub, "--prompt-template", f->prompt_template,
                      "User turn (chat) or whole prompt (completions) with {problem} (default {problem})");
      add_flag_option(sub, "--temperature", f->temperature, "Sampling temperature");
      add_flag_option(sub, "--top-p", f->top_p, "Nucleus sampling top_p");
      add_flag_option(sub, "--max-tokens", f->max_tokens, "Completion token limit per sample");
      add_flag_option(sub, "--stop", f->stop, "Stop sequence (repeatable)");
      add_flag_option(sub, "--extra-body", f->extra_body, "JSON object merged into every generation request");
      add_flag_option(sub, "--n-mode", f->n_mode,
                      "auto (several samples per request, falling back to one), native, single (default auto)");
      add_flag_option(sub, "--max-n-per-request", f->max_n_per_request, "Samples per request at most (default 16)");
      add_flag_option(sub, "--endpoint-concurrency", f->endpoint_concurrency,
                      "Requests in flight per generator endpoint (0: unlimited)");
      add_flag_option(sub, "--api-key-file", f->api_key_file, "Generator API key file (else $OPTSCALE_API_KEY)");
      sub.add_flag("--no-reasoning", f->no_reasoning, "Score message.content only, not split-off reasoning")
          ->envname(env_name("--no-reasoning"));
      add_flag_option(sub, "--scorer", f->scorers,
                      "Scorer base URL: server root for pooling/classify, /v1 base for judge (repeatable)")->required();
      add_flag_option(sub, "--scorer-kind", f->scorer_kind, "pooling (PRM, default), classify (ORM) or judge");
      add_flag_option(sub, "--scorer-model", f->scorer_model, "Scorer model name (judge: defaults to --model)");
      add_flag_option(sub, "--scorer-api-key-file", f->scorer_api_key_file,
                      "Scorer API key file (else $OPTSCALE_SCORER_API_KEY)");
      add_flag_option(sub, "--prm-system", f->prm_system, "System prompt of the PRM input");
      add_flag_option(sub, "--prm-template", f->prm_template,
                      "PRM/ORM input template with {system}, {problem}, {response} (default: Qwen chat template)");
      add_flag_option(sub, "--step-separator", f->step_separator, "Step separator (escapes allowed; default \\n\\n)");
      add_flag_option(sub, "--step-tag", f->step_tag, "Step tag the PRM pools at (default <extra_0>)");
      add_flag_option(sub, "--aggregation", f->aggregation, "Step rewards -> score: mean (paper), last, min, product");
      add_flag_option(sub, "--positive-class", f->positive_class, "Class index of a good step/answer (default 1)");
      add_flag_option(sub, "--pooling-task", f->pooling_task, "`task` sent to /pooling (e.g. token_classify)");
      add_flag_option(sub, "--scorer-batch", f->scorer_batch, "Inputs per /pooling or /classify request (default 16)");
      add_flag_option(sub, "--scorer-endpoint-concurrency", f->scorer_endpoint_concurrency,
                      "Requests in flight per scorer endpoint (0: unlimited)");
      add_flag_option(sub, "--scorer-extra-body", f->scorer_extra_body, "JSON object merged into scoring requests");
      add_flag_option(sub, "--judge-system", f->judge_system, "Judge system prompt");
      add_flag_option(sub, "--judge-prompt", f->judge_prompt, "Judge prompt with {problem} and {response}");
      add_flag_option(sub, "--judge-yes", f->judge_yes, "The judge's positive word (default Yes)");
      add_flag_option(sub, "--judge-no", f->judge_no, "The judge's negative word (default No)");
      add_flag_option(sub, "--max-in-flight", f->max_in_flight, "Requests in flight: worker threads, each generating then scoring (default 64)");
      add_flag_option(sub, "--scorer-in-flight", f->scorer_in_flight,
                      "Cap on scoring requests in flight (0: no separate cap)");
      add_flag_option(sub, "--token-budget", f->token_budget, "Stop drawing once the run has used this many tokens");
      add_flag_option(sub, "--seed", f->seed, "Sample k of a problem is drawn with seed+k (default 0)");
      add_flag_option(sub, "--request-timeout", f->request_timeout, "Seconds per request attempt (default 600)");
      add_flag_option(sub, "--max-attempts", f->max_attempts, "Attempts per request, the first included (default 8)");
      add_flag_option(sub, "--retry-base-delay", f->retry_base_delay, "Backoff after the first failure, s (default 0.25)");
      add_flag_option(sub, "--retry-max-delay", f->retry_max_delay, "Backoff cap, s (default 30)");
      add_flag_option(sub, "--answer-grouping", f->answer_grouping, "Voting classes: equivalent (default) or raw");
      add_flag_option(sub, "--progress-interval", f->progress_interval,
                      "Seconds between progress lines (default 1 on a terminal, 10 otherwise)");
      sub.add_flag("--quiet", f->quiet, "No progress or warnings on stderr")->envname(env_name("--quiet"));
      sub.add_flag("--json", f->json_output, "Print the run summary as JSON")->envname(env_name("--json"));
      return [f] { return run_engine(*f); };
    }};

}  // namespace
}  // namespace optscale::cli
