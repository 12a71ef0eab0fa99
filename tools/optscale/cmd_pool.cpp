// optscale pool {import, validate, stats}: converting, checking and
// summarising scored pools (docs/pool-format.md).
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "command.hpp"
#include "optscale/pool/import_optscale_ref.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

struct ImportOptions {
  std::string format;
  std::string scored, problems, out, priors, dataset;
  std::string gold_format = "auto";
  std::string generator = "DeepSeek-R1-Distill-Qwen-7B";
  std::string verifier = "Qwen2.5-Math-PRM-7B";
  bool allow_text_mismatch = false;
};

struct ValidateOptions {
  std::string file;
  std::size_t max_errors = 20;
};

struct StatsOptions {
  std::string file;
  bool json = false;
};

int run_import(const ImportOptions& o) {
  require(o.format == "optscale-ref", "pool import --format",
          [&] { return "unknown format \"" + o.format + "\" (known: optscale-ref)"; });
  pool::OptscaleRefImport options;
  options.scored = o.scored;
  options.problems = o.problems;
  if (!o.priors.empty()) options.priors = o.priors;
  options.dataset = o.dataset;
  if (o.gold_format == "auto") options.gold_format = pool::GoldFormat::kAuto;
  else if (o.gold_format == "plain") options.gold_format = pool::GoldFormat::kPlain;
  else if (o.gold_format == "gsm8k") options.gold_format = pool::GoldFormat::kGsm8k;
  else throw Error("pool import --gold-format: unknown \"" + o.gold_format + "\" (auto, plain, gsm8k)");
  options.generator = o.generator;
  options.verifier = o.verifier;
  options.allow_text_mismatch = o.allow_text_mismatch;
  const pool::Pool pool = pool::import_optscale_ref(options);
  pool::write_pool(pool, o.out);
  const auto stats = pool::compute_pool_stats(pool);
  std::cout << "imported " << stats.problems << " problems, " << stats.samples << " samples ("
            << stats.problems_with_gold << " with a gold answer, " << stats.problems_with_prior
            << " with a prior) into " << o.out << "\n";
  if (stats.problems_with_gold < stats.problems) {
    std::cerr << "optscale: warning: " << stats.problems - stats.problems_with_gold
              << " problems have no gold answer; their correctness is unknown\n";
  }
  return 0;
}

int run_validate(const ValidateOptions& o) {
  // One pass: the stats of the valid problems count only when all are valid.
  pool::PoolStatsBuilder builder;
  const auto errors = pool::validate_pool_file(o.file, o.max_errors, {pool::Texts::drop},
                                               [&](pool::Problem&& problem) { builder.add(problem); });
  if (errors.empty()) {
    const auto stats = builder.stats();
    std::cout << o.file << ": valid pool, " << stats.problems << " problems, " << stats.samples
              << " samples" << (stats.synthetic ? " (SIMULATED)" : "") << "\n";
    return 0;
  }
  for (const auto& e : errors) std::cerr << e << "\n";
  std::cerr << "optscale: error: " << o.file << ": not a valid pool (" << errors.size()
            << (o.max_errors != 0 && errors.size() >= o.max_errors ? " or more" : "")
            << " errors)\n";
  return 1;
}

std::string percent(const std::optional<double>& x) {
  if (!x) return "unknown";
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << 100.0 * *x << "%";
  return out.str();
}

int run_stats(const StatsOptions& o) {
  pool::PoolStatsBuilder builder;
  pool::for_each_problem(o.file, {pool::Texts::drop}, [&](pool::Problem&& problem) { builder.add(problem); });
  const auto s = builder.stats();
  if (o.json) {
    nlohmann::ordered_json j;
    j["file"] = o.file;
    j["synthetic"] = s.synthetic;
    j["problems"] = s.problems;
    j["samples"] = s.samples;
    j["min_samples_per_problem"] = s.min_samples;
    j["max_samples_per_problem"] = s.max_samples;
    j["mean_tokens_per_sample"] = s.mean_tokens_per_sample;
    j["mean_tokens_per_problem"] = s.mean_tokens_per_problem;
    j["score_mean"] = s.score_mean;
    j["score_std"] = s.score_std;
    j["mean_problem_score_mean"] = s.mean_problem_score_mean;
    j["mean_problem_score_std"] = s.mean_problem_score_std;
    j["problems_with_gold"] = s.problems_with_gold;
    j["problems_with_prior"] = s.problems_with_prior;
    j["priors_with_nonpositive_sigma"] = s.priors_with_nonpositive_sigma;
    j["samples_with_text"] = s.samples_with_text;
    j["samples_with_answer"] = s.samples_with_answer;
    j["samples_with_correct"] = s.samples_with_correct;
    j["empty_completions"] = s.empty_completions;
    auto optional = [](const std::optional<double>& x) {
      return x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
    };
    j["sample_accuracy"] = optional(s.sample_accuracy);
    j["first_sample_accuracy"] = optional(s.first_sample_accuracy);
    j["best_of_n_accuracy"] = optional(s.best_of_n_accuracy);
    j["oracle_accuracy"] = optional(s.oracle_accuracy);
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << std::fixed;
  if (s.synthetic) std::cout << "SIMULATED pool (synthetic: true)\n";
  std::cout << "file                      " << o.file << "\n"
            << "problems                  " << s.problems << "\n"
            << "samples                   " << s.samples << " (" << s.min_samples << ".."
            << s.max_samples << " per problem)\n"
            << std::setprecision(1) << "mean tokens per sample    " << s.mean_tokens_per_sample
            << "\n"
            << "mean tokens per problem   " << s.mean_tokens_per_problem << "\n"
            << std::setprecision(4) << "score mean / std          " << s.score_mean << " / "
            << s.score_std << "\n"
            << "per-problem mean / std    " << s.mean_problem_score_mean << " / "
            << s.mean_problem_score_std << " (averaged across problems)\n"
            << "with gold / prior         " << s.problems_with_gold << " / " << s.problems_with_prior
            << " problems";
  if (s.priors_with_nonpositive_sigma) {
    std::cout << " (" << s.priors_with_nonpositive_sigma << " priors with sigma <= 0)";
  }
  std::cout << "\n"
            << "with text / answer / correct  " << s.samples_with_text << " / "
            << s.samples_with_answer << " / " << s.samples_with_correct << " samples ("
            << s.empty_completions << " empty completions)\n"
            << "sample accuracy           " << percent(s.sample_accuracy) << "\n"
            << "first-sample accuracy     " << percent(s.first_sample_accuracy) << "\n"
            << "Best-of-N accuracy (all)  " << percent(s.best_of_n_accuracy) << "\n"
            << "oracle (any correct)      " << percent(s.oracle_accuracy) << "\n";
  return 0;
}

const CommandRegistration registration{
    "pool", "Import, validate and summarise scored pools (docs/pool-format.md)", [](CLI::App& sub) {
      sub.require_subcommand(1);
      auto import_options = std::make_shared<ImportOptions>();
      CLI::App* import = sub.add_subcommand("import", "Convert a published pool into a JSONL pool");
      add_flag_option(*import, "--format", import_options->format, "Source format: optscale-ref")
          ->required();
      add_flag_option(*import, "--pool", import_options->scored,
                      "The scored pool (JSON list, one object per problem)")
          ->required();
      add_flag_option(*import, "--problems", import_options->problems,
                      "The problems file in the same order (test_prompts/*.json)")
          ->required();
      add_flag_option(*import, "--out", import_options->out, "Pool to write (JSON Lines)")->required();
      add_flag_option(*import, "--priors", import_options->priors,
                      "Attach [mu, sigma] per problem from this priors file");
      add_flag_option(*import, "--dataset", import_options->dataset,
                      "Id prefix (default: the problems file's name without extension)");
      add_flag_option(*import, "--gold-format", import_options->gold_format,
                      "auto (GSM8K \"#### n\" when present), plain or gsm8k (default auto)");
      add_flag_option(*import, "--generator", import_options->generator,
                      "Generator name recorded in the pool (default DeepSeek-R1-Distill-Qwen-7B)");
      add_flag_option(*import, "--verifier", import_options->verifier,
                      "Verifier name recorded in the pool (default Qwen2.5-Math-PRM-7B)");
      import->add_flag("--allow-text-mismatch", import_options->allow_text_mismatch,
                       "Do not require score.problem[0] to equal the problems file's text")
          ->envname(env_name("--allow-text-mismatch"));

      auto validate_options = std::make_shared<ValidateOptions>();
      CLI::App* validate = sub.add_subcommand("validate", "Check a pool against the format");
      validate->add_option("file", validate_options->file, "Pool file (JSON Lines)")->required();
      add_flag_option(*validate, "--max-errors", validate_options->max_errors,
                      "Stop after this many errors; 0 = report all (default 20)");

      auto stats_options = std::make_shared<StatsOptions>();
      CLI::App* stats = sub.add_subcommand("stats", "Summarise a pool");
      stats->add_option("file", stats_options->file, "Pool file (JSON Lines)")->required();
      stats->add_flag("--json", stats_options->json, "Machine-readable output")
          ->envname(env_name("--json"));

      return [=]() -> int {
        if (import->parsed()) return run_import(*import_options);
        if (validate->parsed()) return run_validate(*validate_options);
        if (stats->parsed()) return run_stats(*stats_options);
        throw Error("pool: expected a subcommand: import, validate or stats");
      };
    }};

}  // namespace
}  // namespace optscale::cli
