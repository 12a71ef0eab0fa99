// optscale run: adaptive sampling against live model servers (docs/engine.md).
// Draws samples from an OpenAI-compatible generator, scores them with a
// reward model (or a judge), lets the strategy decide per problem how many to
// draw, and writes one result per problem; every step goes to a crash-safe
// run store so that `--resume` continues after a crash or kill -9.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "backend_flags.hpp"
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
#include "optscale/store/run_store.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::cli {
namespace {

using nlohmann::json;

struct RunFlags {
  std::string problems, strategy, out, store, priors, predictor;
  bool resume = false;
  GeneratorFlags generator;
  ScorerFlags scorer;
  RetryFlags retry;
  int max_in_flight = 64;
  int scorer_in_flight = 0;
  std::optional<long long> token_budget;
  long long seed = 0;
  double request_timeout = 600;
  std::string answer_grouping = "equivalent";
  double progress_interval = -1;
  bool quiet = false;
  bool json_output = false;
  std::string max_failed_samples = "0.05";
};

// --max-failed-samples: an integer count, or a fraction in (0, 1) ("5%" too).
void parse_failed_limit(const std::string& text, engine::RunOptions& options) {
  std::string value = text;
  const bool percent = !value.empty() && value.back() == '%';
  if (percent) value.pop_back();
  double number = 0.0;
  std::size_t used = 0;
  try {
    number = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || !(number >= 0.0))
    throw Error("--max-failed-samples '" + text + "': expected a count (10) or a fraction (0.05, 5%)");
  if (percent) number /= 100.0;
  options.max_failed_count.reset();
  options.max_failed_fraction.reset();
  if ((!percent && number >= 1.0) || number == 0.0) {
    if (number != static_cast<double>(static_cast<long long>(number)))
      throw Error("--max-failed-samples '" + text + "': a count must be a whole number");
    options.max_failed_count = static_cast<long long>(number);
  } else if (number < 1.0) {
    options.max_failed_fraction = number;
  } else {
    throw Error("--max-failed-samples '" + text + "': a percentage must be below 100%");
  }
}

std::string file_digest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(util::fnv1a64(content)));
  return hex;
}

// Set by SIGINT/SIGTERM (a lock-free atomic store is async-signal-safe); the
// controller watches it through RunOptions::cancel.
std::atomic<bool> g_stop_requested{false};
void on_signal(int) { g_stop_requested.store(true); }

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
  std::optional<policy::PriorSource> prior_source = strategy.prior_source();
  const std::string flag = !f.priors.empty() ? "--priors" : !f.predictor.empty() ? "--predictor" : "";
  if (prior_source && !flag.empty())
    throw Error("--strategy names " + prior_source->key() + " and " + flag + " names " +
                (flag == "--priors" ? f.priors : f.predictor) + ": give the priors' source once");
  if (!f.priors.empty()) prior_source = policy::PriorSource{policy::PriorSource::Kind::priors_file, f.priors};
  if (!f.predictor.empty()) prior_source = policy::PriorSource{policy::PriorSource::Kind::model, f.predictor};
  std::string priors_file, predictor_file;
  if (prior_source) {
    engine::apply_prior_source(*prior_source, problems);
    (prior_source->kind == policy::PriorSource::Kind::model ? predictor_file : priors_file) =
        predict::prior_file(*prior_source).string();
  }

  const backend::RetryPolicy retry = make_retry_policy(f.retry);
  if (!(f.request_timeout > 0)) throw Error("--request-timeout must be positive");
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(f.request_timeout * 1000));
  const backend::GeneratorConfig g = make_generator_config(f.generator, GeneratorFlagNames{}, retry, timeout);
  const backend::ScorerConfig s = make_scorer_config(f.scorer, g, retry, timeout);

  engine::RunOptions options;
  options.seed = f.seed;
  options.max_in_flight = f.max_in_flight;
  options.scorer_in_flight = f.scorer_in_flight;
  options.token_budget = f.token_budget;
  options.answer_grouping = answers::parse_answer_grouping(f.answer_grouping);
  options.cancel = &g_stop_requested;
  options.progress_terminal = isatty(STDERR_FILENO) != 0;
  options.progress_interval_s = f.progress_interval >= 0 ? f.progress_interval : (options.progress_terminal ? 1.0 : 10.0);
  parse_failed_limit(f.max_failed_samples, options);
  options.notice = [quiet = f.quiet](const std::string& line) {
    if (!quiet) std::cerr << "optscale run: warning: " << line << "\n";
  };
  options.validate();

  // What the results depend on; a resume must repeat it exactly. (Endpoints,
  // keys, concurrency, timeouts and retries may change between sessions.)
  json settings = {
      {"strategy", strategy.spec()}, {"seed", f.seed}, {"problems_digest", file_digest(f.problems)},
      {"priors_digest", priors_file.empty() ? std::string() : file_digest(priors_file)},
      {"predictor_digest", predictor_file.empty() ? std::string() : file_digest(predictor_file)},
      {"model", g.model}, {"api", f.generator.api}, {"system_prompt", g.system_prompt},
      {"prompt_template", g.prompt_template},
      {"temperature", g.temperature ? json(*g.temperature) : json(nullptr)},
      {"top_p", g.top_p ? json(*g.top_p) : json(nullptr)},
      {"max_tokens", g.max_tokens ? json(*g.max_tokens) : json(nullptr)}, {"stop", g.stop},
      {"extra_body", g.extra_body}, {"include_reasoning", g.include_reasoning},
      {"scorer_kind", f.scorer.kind}, {"scorer_model", s.model}, {"prm_system", s.format.system},
      {"prm_template", s.format.chat_template}, {"step_separator", s.format.step_separator},
      {"step_tag", s.format.step_tag}, {"aggregation", f.scorer.aggregation}, {"positive_class", s.positive_index},
      {"pooling_task", s.pooling_task}, {"scorer_extra_body", s.extra_body},
      {"judge", {{"system", s.judge.system}, {"prompt", s.judge.prompt}, {"yes", s.judge.yes}, {"no", s.judge.no},
                 {"unreadable", f.scorer.judge_unreadable}}},
      {"classify_activation", f.scorer.classify_activation},
      {"scorer_max_input_tokens", s.max_input_tokens ? json(*s.max_input_tokens) : json(nullptr)},
      {"answer_grouping", f.answer_grouping},
      {"token_budget", f.token_budget ? json(*f.token_budget) : json(nullptr)}};

  store::RunStore store(f.store);
  store.lock_for_run();  // before anything is read or forgotten: one run per store
  // A store left by a run that failed before doing anything is reused silently.
  if (store.has_run() && !store.holds_work()) store.forget_run();
  if (store.has_run() && !f.resume)
    throw Error("run store " + f.store + " holds a run already: add --resume to continue it, or remove it");
  const bool continuing = store.has_run();
  std::vector<std::string> ids;
  for (const auto& p : problems) ids.push_back(p.id);
  store.begin_run(settings, ids);
  if (!f.quiet && continuing)
    std::cerr << "optscale run: resuming " << f.store << " (" << store.finished_problems().size() << " of "
              << problems.size() << " problems done, " << store.count("samples") << " samples stored)\n";

  auto notice = [quiet = f.quiet](const std::string& line) {
    if (!quiet) std::cerr << "optscale run: warning: " << line << "\n";
  };
  backend::Generator generator(g, notice);
  auto scorer = backend::make_scorer(s, notice);
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
      add_generator_flags(sub, f->generator, GeneratorFlagNames{});
      add_scorer_flags(sub, f->scorer);
      add_flag_option(sub, "--max-in-flight", f->max_in_flight, "Requests in flight: worker threads, each generating then scoring (default 64)");
      add_flag_option(sub, "--scorer-in-flight", f->scorer_in_flight,
                      "Cap on scoring requests in flight (0: no separate cap)");
      add_flag_option(sub, "--token-budget", f->token_budget, "Stop drawing once the run has used this many tokens");
      add_flag_option(sub, "--max-failed-samples", f->max_failed_samples,
                      "Stop once more samples failed than this: a count (10) or a fraction of the samples "
                      "attempted, at least 100 counted (0.05 or 5%; default 0.05)");
      add_flag_option(sub, "--seed", f->seed, "Sample k of a problem is drawn with seed+k (default 0)");
      add_flag_option(sub, "--request-timeout", f->request_timeout, "Seconds per request attempt (default 600)");
      add_retry_flags(sub, f->retry);
      add_flag_option(sub, "--answer-grouping", f->answer_grouping, "Voting classes: equivalent (default) or raw");
      add_flag_option(sub, "--progress-interval", f->progress_interval,
                      "Seconds between progress lines (default 1 on a terminal, 10 otherwise)");
      sub.add_flag("--quiet", f->quiet, "No progress or warnings on stderr")->envname(env_name("--quiet"));
      sub.add_flag("--json", f->json_output, "Print the run summary as JSON")->envname(env_name("--json"));
      return [f] { return run_engine(*f); };
    }};

}  // namespace
}  // namespace optscale::cli
