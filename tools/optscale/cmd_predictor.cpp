// optscale predictor: the prior predictor of OptScale^t (docs/predictor.md).
//   predictor train    fit a model on labels (a label file or a pool) and save it
//   predictor eval     MAE, RMSE and Spearman of mu and sigma against labels
//   predictor predict  (mu, sigma) and their uncertainty for problems
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/pool_labels.hpp"
#include "optscale/predict/embedding_features.hpp"
#include "optscale/predict/evaluation.hpp"
#include "optscale/predict/labels.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "optscale/predict/priors_predictor.hpp"
#include "optscale/predict/text_features.hpp"
#include "optscale/predict/trainer.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

using predict::Evaluation;
using predict::Prediction;

// "0.5,1,2" -> {0.5, 1, 2}
std::vector<double> parse_number_list(const std::string& text, const std::string& flag) {
  std::vector<double> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    double v = 0.0;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    require(used > 0 && item.find_first_not_of(" \t", used) == std::string::npos, flag,
            [&] { return "'" + item + "' is not a number"; });
    values.push_back(v);
  }
  require(!values.empty(), flag, "no values given");
  return values;
}

// "2-5" -> {2, 5}; "0" -> off
std::pair<int, int> parse_range(const std::string& text, const std::string& flag) {
  if (text == "0") return {0, 0};
  const auto dash = text.find('-');
  require(dash != std::string::npos, flag, "expected MIN-MAX such as 2-5 (or 0 for none)");
  try {
    return {std::stoi(text.substr(0, dash)), std::stoi(text.substr(dash + 1))};
  } catch (const std::exception&) {
    throw Error(flag + ": expected MIN-MAX such as 2-5 (or 0 for none)");
  }
}

struct LabelSource {
  std::string labels, problems, pool, label_method = "moments";
};

std::vector<predict::LabeledProblem> load_labels(const LabelSource& s, const std::string& command) {
  require(s.labels.empty() != s.pool.empty(), command, "give exactly one of --labels and --pool");
  if (!s.pool.empty()) {
    require(s.problems.empty(), command, "--problems goes with --labels, not --pool");
    pool::PoolLabelSkips skips;
    auto labels = pool::labels_from_pool(pool::read_pool(s.pool, {pool::Texts::drop}),
                                         pool::parse_label_method(s.label_method), &skips);
    if (skips.without_text > 0) {
      std::cerr << "optscale: " << skips.without_text << " pool problem(s) without text skipped\n";
    }
    if (skips.synthetic > 0) {
      std::cerr << "optscale: " << skips.synthetic << " synthetic pool problem(s) skipped\n";
    }
    if (skips.not_converged > 0) {
      std::cerr << "optscale: warning: " << skips.not_converged
                << " truncated-normal fit(s) did not converge; their best points are used\n";
    }
    require(!labels.empty(), s.pool, "no pool problem has text to learn from");
    return labels;
  }
  std::optional<std::filesystem::path> problems;
  if (!s.problems.empty()) problems = s.problems;
  return predict::read_labels(s.labels, problems);
}

void add_label_source(CLI::App& app, LabelSource& s, bool with_pool) {
  add_flag_option(app, "--labels", s.labels,
                  "Labels: JSONL {\"problem\",\"mu\",\"sigma\"} lines, or a JSON list of "
                  "[mean, std] with --problems");
  add_flag_option(app, "--problems", s.problems,
                  "Problems parallel to a [mean, std] label list (JSON list or JSONL; "
                  "\"problem\" or \"question\" fields)");
  if (with_pool) {
    add_flag_option(app, "--pool", s.pool, "Make labels from a JSONL pool's scores instead");
    add_flag_option(app, "--label", s.label_method,
                    "How a pool problem's scores become a label: moments (mean, population "
                    "std; the paper's) or mle (truncated-normal fit)")
        ->check(CLI::IsMember({"moments", "mle"}));
  }
}

struct EmbedArgs {
  std::string url, model, api_key;
  int batch = 32;
  double timeout = 120.0;
};

void add_embed_flags(CLI::App& app, EmbedArgs& e, bool for_training) {
  add_flag_option(app, "--embed-url", e.url,
                  for_training ? "Embeddings server base URL (POST {URL}/v1/embeddings)"
                               : "Override the embeddings server URL recorded in the model");
  add_flag_option(app, "--embed-api-key", e.api_key,
                  "Bearer token for the embeddings server (never written to the model)");
  if (for_training) {
    add_flag_option(app, "--embed-model", e.model, "Model name sent to the embeddings server");
    add_flag_option(app, "--embed-batch", e.batch, "Problems per embeddings request")
        ->check(CLI::PositiveNumber);
    add_flag_option(app, "--embed-timeout", e.timeout, "Seconds per embeddings request")
        ->check(CLI::PositiveNumber);
  }
}

// ---------------------------------------------------------------- train

struct TrainArgs {
  LabelSource source;
  std::string features = "text", out;
  EmbedArgs embed;
  predict::TextFeatureConfig text;
  std::string char_ngrams = "2-5";
  double embedding_structural_weight = 1.0;
  int folds = 5, threads = 2, bins = 5;
  std::uint64_t seed = 1;
  std::string lambdas = "0.5,1,2,4,8";
  std::string mu_transform = "log-gap:0.02", sigma_transform = "log:0.1";
  CLI::Option* mu_transform_opt = nullptr;
  bool no_stacking = false, json = false;
  LabelSource validation;
};

int run_train(const TrainArgs& a) {
  auto labels = load_labels(a.source, "predictor train");
  predict::TrainOptions options;
  options.lambdas = parse_number_list(a.lambdas, "--lambdas");
  options.folds = a.folds;
  options.seed = a.seed;
  options.threads = a.threads;
  options.mu_transform = predict::TargetTransform::parse(a.mu_transform);
  if (!a.source.pool.empty() && a.source.label_method == "mle" && a.mu_transform_opt->count() == 0) {
    // Truncated-normal mu may lie above 1, outside the log-gap transform's domain.
    options.mu_transform = predict::TargetTransform{};
    std::cerr << "optscale: --label mle: mu is fitted on the identity scale (--mu-transform)\n";
  }
  options.sigma_transform = predict::TargetTransform::parse(a.sigma_transform);
  options.stacking = !a.no_stacking;
  options.uncertainty_bins = a.bins;
  options.progress = [](const std::string& line) { std::cerr << "optscale: " << line << "\n"; };

  std::unique_ptr<predict::Featurizer> featurizer;
  nlohmann::json provenance = {{"program", "optscale 0.1.0"}};
  if (!a.source.labels.empty()) {
    provenance["labels"] = a.source.labels;
    if (!a.source.problems.empty()) provenance["problems_file"] = a.source.problems;
  } else {
    provenance["pool"] = a.source.pool;
    provenance["label_method"] = a.source.label_method;
  }
  if (a.features == "text") {
    require(a.embed.url.empty(), "predictor train", "--embed-url goes with --features embeddings");
    predict::TextFeatureConfig config = a.text;
    std::tie(config.char_ngram_min, config.char_ngram_max) = parse_range(a.char_ngrams, "--char-ngrams");
    featurizer = std::make_unique<predict::TextFeaturizer>(config);
  } else {
    require(!a.embed.url.empty(), "predictor train", "--features embeddings needs --embed-url");
    predict::EmbeddingFeatureConfig config;
    config.endpoint = {a.embed.url, a.embed.model, a.embed.batch, a.embed.timeout, a.embed.api_key};
    config.structural_weight = a.embedding_structural_weight;
    featurizer = std::make_unique<predict::EmbeddingFeaturizer>(config);
  }

  predict::TrainReport report;
  auto model = predict::train_predictor(std::move(featurizer), labels, options, provenance, &report);

  // Held-out figures are only reported and recorded, never used to choose.
  if (!a.validation.labels.empty()) {
    const auto held_out = load_labels(a.validation, "predictor train (validation)");
    const auto constant = std::make_pair(model.training_mu_mean, model.training_sigma_mean);
    predict::ModelPredictor predictor(std::move(model), a.out);
    const Evaluation e = predict::evaluate_predictor(predictor, held_out, constant);
    model = std::move(predictor).release();
    model.validation = predict::evaluation_to_json(e);
    model.validation["labels"] = a.validation.labels;
    if (!a.validation.problems.empty()) model.validation["problems_file"] = a.validation.problems;
    std::cerr << "optscale: validation (" << e.n << " problems): mu MAE " << e.mu.mae
              << " Spearman " << e.mu.spearman << ", sigma MAE " << e.sigma.mae << " Spearman "
              << e.sigma.spearman << "\n";
  }
  predict::save_model(model, a.out);
  std::cerr << "optscale: model written to " << a.out << " (" << report.seconds << " s)\n";
  if (a.json) {
    nlohmann::json out = {{"model", a.out},
                          {"problems", labels.size()},
                          {"seconds", report.seconds},
                          {"training", model.training},
                          {"validation", model.validation}};
    std::cout << out.dump() << "\n";
  }
  return 0;
}

// ---------------------------------------------------------------- eval

struct PredictorChoice {
  std::string model, priors, priors_problems;
  EmbedArgs embed;
  std::optional<double> fixed_std;
};

std::unique_ptr<predict::Predictor> open_predictor(const PredictorChoice& c,
                                                   std::optional<std::pair<double, double>>* baseline) {
  if (!c.priors.empty()) {
    require(c.model.empty(), "predictor", "give --model or --priors, not both");
    std::optional<std::filesystem::path> problems;
    if (!c.priors_problems.empty()) problems = c.priors_problems;
    auto p = std::make_unique<predict::PriorsPredictor>(predict::PriorsPredictor::from_file(
        c.priors, problems, c.fixed_std.value_or(predict::kParityPriorStd)));
    if (baseline) baseline->reset();
    return p;
  }
  require(c.priors_problems.empty(), "predictor", "--priors-problems goes with --priors");
  predict::ModelPredictorOptions options;
  options.fixed_prior_std = c.fixed_std;
  options.overrides = {c.embed.url, c.embed.api_key};
  const std::filesystem::path path = c.model.empty() ? predict::default_model_path()
                                                     : std::filesystem::path(c.model);
  auto p = std::make_unique<predict::ModelPredictor>(predict::ModelPredictor::load(path, options));
  if (baseline) *baseline = std::make_pair(p->model().training_mu_mean, p->model().training_sigma_mean);
  return p;
}

void add_predictor_choice(CLI::App& app, PredictorChoice& c, bool with_priors) {
  // The env mirror is OPTSCALE_PREDICTOR, the variable that names the default model.
  app.add_option("--model", c.model,
                 "Predictor model file (default: $OPTSCALE_PREDICTOR, else the shipped "
                 "models/default-predictor.json)")
      ->envname("OPTSCALE_PREDICTOR");
  if (with_priors) {
    add_flag_option(app, "--priors", c.priors,
                    "Use a priors file instead: a JSON list of [mu, sigma] or a map by id");
    add_flag_option(app, "--priors-problems", c.priors_problems,
                    "The problems file a priors list follows, to match problems by text");
  }
  add_embed_flags(app, c.embed, false);
  add_flag_option(app, "--fixed-prior-std", c.fixed_std,
                  "Report this prior std for mu and sigma instead of the model's "
                  "cross-validated ones (0.1 = the paper's)")
      ->check(CLI::PositiveNumber);
}

struct EvalArgs {
  PredictorChoice choice;
  LabelSource source;
  bool json = false;
};

// A priors file against labels: how its problems were matched, said before
// any figure. A list without --priors-problems is matched by position, which
// is only right when the list follows the labels' problems in order: refused
// when the counts differ, warned when they agree (nothing can check the
// order). Joined by text or id: refused unless every labelled problem has a
// prior, with how many did.
void check_priors_match(const predict::PriorsPredictor& priors, const std::vector<predict::LabeledProblem>& labels,
                        const std::string& source) {
  std::vector<predict::ProblemRef> refs;
  for (std::size_t i = 0; i < labels.size(); ++i) refs.push_back({labels[i].problem, labels[i].id, i});
  const std::string hint =
      "give --priors-problems FILE, the problems file the list follows, to match by text (the paper's "
      "predictor_priors/<DS>_priors.json follow test_prompts/<ds>_test.json)";
  if (priors.matched_by_position()) {
    require(priors.size() == labels.size(), source, [&] {
      return std::to_string(priors.size()) + " priors in the list for " + std::to_string(labels.size()) +
             " labelled problems; a list without --priors-problems is matched by position, so the counts "
             "must agree: " + hint;
    });
    std::cerr << "optscale: warning: " << source << ": " << labels.size()
              << " priors matched to the labelled problems by position; nothing checks that the list follows "
                 "the labels' order (a list in another order gives meaningless figures): "
              << hint << "\n";
    return;
  }
  const std::size_t matched = priors.count_matched(refs);
  if (matched < labels.size()) {
    for (const predict::LabeledProblem& l : labels)
      if (priors.count_matched(std::vector<predict::ProblemRef>{{l.problem, l.id, std::nullopt}}) == 0)
        throw Error(source + ": matched " + std::to_string(matched) + " of " + std::to_string(labels.size()) +
                    " labelled problems; no prior for the problem beginning '" + l.problem.substr(0, 60) + "'");
  }
  std::cerr << "optscale: " << source << ": matched " << matched << " of " << labels.size()
            << " labelled problems (" << priors.size() << " priors in the file)\n";
}

int run_eval(const EvalArgs& a) {
  const auto labels = load_labels(a.source, "predictor eval");
  std::optional<std::pair<double, double>> baseline;
  const auto predictor = open_predictor(a.choice, &baseline);
  if (const auto* priors = dynamic_cast<const predict::PriorsPredictor*>(predictor.get()))
    check_priors_match(*priors, labels, a.choice.priors);
  const Evaluation e = predict::evaluate_predictor(*predictor, labels, baseline);
  if (a.json) {
    nlohmann::json out = predict::evaluation_to_json(e);
    out["predictor"] = predictor->describe();
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("%s on %zu problems\n", predictor->describe().c_str(), e.n);
  std::printf("%-22s %9s %9s %9s\n", "", "MAE", "RMSE", "Spearman");
  std::printf("%-22s %9.5f %9.5f %9.4f\n", "mu", e.mu.mae, e.mu.rmse, e.mu.spearman);
  std::printf("%-22s %9.5f %9.5f %9.4f\n", "sigma", e.sigma.mae, e.sigma.rmse, e.sigma.spearman);
  std::printf("constant baseline (%s: mu %.4f, sigma %.4f)\n", e.baseline_source.c_str(),
              e.baseline_mu_value, e.baseline_sigma_value);
  std::printf("%-22s %9.5f %9.5f %9s\n", "  mu", e.baseline_mu.mae, e.baseline_mu.rmse, "-");
  std::printf("%-22s %9.5f %9.5f %9s\n", "  sigma", e.baseline_sigma.mae, e.baseline_sigma.rmse, "-");
  return 0;
}

// ---------------------------------------------------------------- predict

struct PredictArgs {
  PredictorChoice choice;
  std::string problem, problems;
  bool json = false;
};

int run_predict(const PredictArgs& a) {
  require(a.problem.empty() != a.problems.empty(), "predictor predict",
          "give exactly one of --problem and --problems");
  std::vector<predict::ProblemText> problems;
  if (!a.problem.empty()) {
    problems.push_back({"", a.problem});
  } else {
    problems = predict::read_problems(a.problems);
  }
  const auto predictor = open_predictor(a.choice, nullptr);
  std::vector<predict::ProblemRef> refs;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    refs.push_back({problems[i].problem, problems[i].id, i});
  }
  const auto predictions = predictor->predict_all(refs);
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const Prediction& p = predictions[i];
    if (a.json) {
      nlohmann::json out = {{"mu", p.mu}, {"sigma", p.sigma}, {"mu_std", p.mu_std}, {"sigma_std", p.sigma_std}};
      if (!problems[i].id.empty()) out["id"] = problems[i].id;
      std::cout << out.dump() << "\n";
    } else {
      if (problems.size() > 1) {
        std::printf("%s  ", problems[i].id.empty() ? std::to_string(i).c_str() : problems[i].id.c_str());
      }
      std::printf("mu %.4f  sigma %.4f  (prior std: mu %.4f, sigma %.4f)\n", p.mu, p.sigma,
                  p.mu_std, p.sigma_std);
    }
  }
  return 0;
}

const CommandRegistration kPredictor{
    "predictor",
    "OptScale^t's prior predictor: train a model on labels, evaluate it, predict (mu, sigma) "
    "from problem text",
    [](CLI::App& sub) -> std::function<int()> {
      sub.require_subcommand(1);

      auto t = std::make_shared<TrainArgs>();
      CLI::App* train = sub.add_subcommand("train", "Train a predictor model and save it (--out)");
      add_label_source(*train, t->source, true);
      add_flag_option(*train, "--features", t->features,
                      "text (built in: n-grams and structure of the text) or embeddings (an "
                      "OpenAI-compatible embeddings server)")
          ->check(CLI::IsMember({"text", "embeddings"}));
      add_embed_flags(*train, t->embed, true);
      add_flag_option(*train, "--out", t->out, "Where to write the model (JSON)")->required();
      add_flag_option(*train, "--folds", t->folds, "Cross-validation folds")->check(CLI::Range(2, 100));
      add_flag_option(*train, "--seed", t->seed, "Seed of the fold assignment");
      add_flag_option(*train, "--threads", t->threads, "Threads for cross-validation")
          ->check(CLI::Range(1, 256));
      add_flag_option(*train, "--lambdas", t->lambdas, "Ridge penalties to cross-validate");
      t->mu_transform_opt = add_flag_option(*train, "--mu-transform", t->mu_transform,
                      "Scale mu is fitted on: log-gap:C (log(1+C-mu)), log:C or identity");
      add_flag_option(*train, "--sigma-transform", t->sigma_transform,
                      "Scale sigma is fitted on: log:C (log(sigma+C)), log-gap:C or identity");
      add_flag_option(*train, "--uncertainty-bins", t->bins,
                      "Bins of predicted mu for the cross-validated prior std")
          ->check(CLI::Range(1, 100));
      train->add_flag("--no-stacking", t->no_stacking, "Skip the second (stacking) stage")
          ->envname(env_name("--no-stacking"));
      add_flag_option(*train, "--hash-bits", t->text.hash_bits, "Text model: 2^N n-gram buckets")
          ->check(CLI::Range(4, 24));
      add_flag_option(*train, "--word-ngrams", t->text.word_ngram_max,
                      "Text model: word n-grams 1..N (0: none)")
          ->check(CLI::Range(0, 5));
      add_flag_option(*train, "--char-ngrams", t->char_ngrams,
                      "Text model: character n-grams MIN-MAX (0: none)");
      add_flag_option(*train, "--min-df", t->text.min_df,
                      "Text model: drop n-gram buckets in fewer training problems")
          ->check(CLI::PositiveNumber);
      add_flag_option(*train, "--word-weight", t->text.word_weight, "Text model: word block scale");
      add_flag_option(*train, "--char-weight", t->text.char_weight, "Text model: character block scale");
      add_flag_option(*train, "--structural-weight", t->text.structural_weight,
                      "Text model: structural block scale");
      add_flag_option(*train, "--validation-labels", t->validation.labels,
                      "Held-out labels to report and record in the model (never used to choose)");
      add_flag_option(*train, "--validation-problems", t->validation.problems,
                      "Problems parallel to a [mean, std] validation label list");
      train->add_flag("--json", t->json, "Print the training summary as one JSON object")
          ->envname(env_name("--json"));

      auto e = std::make_shared<EvalArgs>();
      CLI::App* eval = sub.add_subcommand(
          "eval", "MAE, RMSE and Spearman of mu and sigma against labels, with the constant baseline");
      add_predictor_choice(*eval, e->choice, true);
      add_label_source(*eval, e->source, true);
      eval->add_flag("--json", e->json,
                     "One JSON object: {mu:{mae,rmse,spearman}, sigma:{...}, baseline:{...}, n}")
          ->envname(env_name("--json"));

      auto p = std::make_shared<PredictArgs>();
      CLI::App* pred = sub.add_subcommand("predict", "Predict (mu, sigma) and their prior std");
      add_predictor_choice(*pred, p->choice, true);
      add_flag_option(*pred, "--problem", p->problem, "One problem's text");
      add_flag_option(*pred, "--problems", p->problems,
                      "Problems file: JSONL or a JSON list (\"problem\"/\"question\", optional \"id\")");
      pred->add_flag("--json", p->json, "One JSON object per problem and line")
          ->envname(env_name("--json"));

      return [=]() -> int {
        if (train->parsed()) return run_train(*t);
        if (eval->parsed()) return run_eval(*e);
        return run_predict(*p);
      };
    }};

}  // namespace
}  // namespace optscale::cli
