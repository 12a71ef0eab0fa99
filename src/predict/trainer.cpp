#include "optscale/predict/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <thread>

#include "optscale/predict/ridge.hpp"
#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

std::string format(double v) {
  std::ostringstream out;
  out.precision(4);
  out << std::fixed << v;
  return out.str();
}

std::string describe(const CvFigures& f) {
  return "mu MAE " + format(f.mu.mae) + " Spearman " + format(f.mu.spearman) + ", sigma MAE " +
         format(f.sigma.mae) + " Spearman " + format(f.sigma.spearman);
}

nlohmann::json figures_to_json(const CvFigures& f) {
  return {{"mu", metrics_to_json(f.mu)}, {"sigma", metrics_to_json(f.sigma)}};
}

}  // namespace

nlohmann::json metrics_to_json(const RegressionMetrics& m) {
  return {{"mae", m.mae}, {"rmse", m.rmse}, {"spearman", m.spearman}};
}

void TrainOptions::validate() const {
  const std::string where = "training options";
  require(!lambdas.empty(), where, "at least one penalty (--lambdas) is needed");
  for (double l : lambdas) require(std::isfinite(l) && l > 0.0, where, "penalties must be finite and > 0");
  require(folds >= 2, where, "--folds must be at least 2");
  require(threads >= 1, where, "--threads must be at least 1");
  require(uncertainty_bins >= 1, where, "uncertainty bins must be at least 1");
  require(std::isfinite(sigma_floor) && sigma_floor > 0.0, where, "sigma floor must be > 0");
  require(std::isfinite(tolerance) && tolerance > 0.0 && tolerance < 1.0, where,
          "solver tolerance must be in (0, 1)");
}

nlohmann::json TrainOptions::to_json() const {
  return {{"lambdas", lambdas},
          {"folds", folds},
          {"seed", seed},
          {"mu_transform", mu_transform.to_string()},
          {"sigma_transform", sigma_transform.to_string()},
          {"stacking", stacking},
          {"uncertainty_bins", uncertainty_bins},
          {"sigma_floor", sigma_floor},
          {"solver_tolerance", tolerance}};
}

PredictorModel train_predictor(std::unique_ptr<Featurizer> featurizer,
                               const std::vector<LabeledProblem>& labels,
                               const TrainOptions& options, const nlohmann::json& provenance,
                               TrainReport* report) {
  const auto start = std::chrono::steady_clock::now();
  options.validate();
  require(featurizer != nullptr, "train_predictor", "no featurizer");
  const std::size_t n = labels.size();
  require(n >= 2 * static_cast<std::size_t>(options.folds), "train_predictor",
          [&] { return std::to_string(n) + " labels are too few for " + std::to_string(options.folds) +
              "-fold cross-validation"; });
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };

  std::vector<std::string> texts(n);
  std::vector<double> mu(n), sigma(n), t_mu(n), t_sigma(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& l = labels[i];
    require(std::isfinite(l.mu) && std::isfinite(l.sigma) && l.sigma >= 0.0, "train_predictor",
            [&] { return "label " + std::to_string(i) + " needs finite mu and sigma >= 0"; });
    texts[i] = l.problem;
    mu[i] = l.mu;
    sigma[i] = l.sigma;
    const std::string what = "label " + std::to_string(i) + (l.id.empty() ? "" : " ('" + l.id + "')");
    t_mu[i] = options.mu_transform.forward(l.mu, what + " mu");
    t_sigma[i] = options.sigma_transform.forward(l.sigma, what + " sigma");
  }

  say("featurizing " + std::to_string(n) + " problems (" + featurizer->kind() + ")");
  const FeatureMatrix full = featurizer->fit_transform(texts);
  // The solver works on the used columns only, most frequent first.
  std::vector<std::uint32_t> original_column;
  const FeatureMatrix x = full.compacted(original_column);
  say(std::to_string(x.cols()) + " feature columns in use, " + std::to_string(x.nonzeros()) +
      " non-zeros");

  RidgeSolverOptions solver;
  solver.tolerance = options.tolerance;
  const auto fold_of = assign_folds(n, options.folds, options.seed);
  say(std::to_string(options.folds) + "-fold cross-validation over " +
      std::to_string(options.lambdas.size()) + " penalties");
  const auto cv = cross_validate_ridge(x, {t_mu, t_sigma}, options.lambdas, fold_of,
                                       options.threads, solver);

  auto back_mu = [&](double t) { return options.mu_transform.inverse(t); };
  auto back_sigma = [&](double t) {
    return std::max(options.sigma_transform.inverse(t), options.sigma_floor);
  };
  auto figures_of = [&](const std::vector<double>& tm, const std::vector<double>& ts) {
    std::vector<double> pm(n), ps(n);
    for (std::size_t i = 0; i < n; ++i) {
      pm[i] = back_mu(tm[i]);
      ps[i] = back_sigma(ts[i]);
    }
    return CvFigures{regression_metrics(pm, mu), regression_metrics(ps, sigma)};
  };

  // Penalty per target: the smallest cross-validated MAE on the label scale.
  TrainReport local;
  TrainReport& rep = report ? *report : local;
  rep = TrainReport{};
  std::size_t best_mu = 0, best_sigma = 0;
  for (std::size_t l = 0; l < cv.lambdas.size(); ++l) {
    const auto f = figures_of(cv.out_of_fold[0][l], cv.out_of_fold[1][l]);
    rep.penalties.push_back({cv.lambdas[l], f});
    say("  lambda " + format(cv.lambdas[l]) + ": " + describe(f));
    if (f.mu.mae < rep.penalties[best_mu].figures.mu.mae) best_mu = l;
    if (f.sigma.mae < rep.penalties[best_sigma].figures.sigma.mae) best_sigma = l;
  }
  rep.mu_lambda = cv.lambdas[best_mu];
  rep.sigma_lambda = cv.lambdas[best_sigma];
  const auto& oof_mu = cv.out_of_fold[0][best_mu];
  const auto& oof_sigma = cv.out_of_fold[1][best_sigma];
  rep.first_stage = figures_of(oof_mu, oof_sigma);

  // Stacking, judged by a second cross-validation with other folds: each
  // fold's stacker is fitted on the others' out-of-fold predictions.
  std::vector<double> final_mu = oof_mu, final_sigma = oof_sigma;
  std::optional<PairStacker> stacker;
  if (options.stacking) {
    const auto fold2 = assign_folds(n, options.folds, options.seed + 1);
    for (int fold = 0; fold < options.folds; ++fold) {
      std::vector<double> a, b, c, d;
      for (std::size_t i = 0; i < n; ++i) {
        if (fold2[i] == fold) continue;
        a.push_back(oof_mu[i]);
        b.push_back(oof_sigma[i]);
        c.push_back(t_mu[i]);
        d.push_back(t_sigma[i]);
      }
      const auto s = PairStacker::fit(a, b, c, d);
      for (std::size_t i = 0; i < n; ++i) {
        if (fold2[i] != fold) continue;
        const auto out = s.apply(oof_mu[i], oof_sigma[i]);
        final_mu[i] = out[0];
        final_sigma[i] = out[1];
      }
    }
    stacker = PairStacker::fit(oof_mu, oof_sigma, t_mu, t_sigma);
  }
  rep.final_model = figures_of(final_mu, final_sigma);

  // The constant baseline under the same folds: each fold gets the mean of the others.
  {
    std::vector<double> sum_mu(options.folds, 0.0), sum_sigma(options.folds, 0.0);
    std::vector<double> count(options.folds, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      sum_mu[fold_of[i]] += mu[i];
      sum_sigma[fold_of[i]] += sigma[i];
      count[fold_of[i]] += 1.0;
    }
    const double all_mu = std::accumulate(sum_mu.begin(), sum_mu.end(), 0.0);
    const double all_sigma = std::accumulate(sum_sigma.begin(), sum_sigma.end(), 0.0);
    std::vector<double> pm(n), ps(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int f = fold_of[i];
      pm[i] = (all_mu - sum_mu[f]) / (static_cast<double>(n) - count[f]);
      ps[i] = (all_sigma - sum_sigma[f]) / (static_cast<double>(n) - count[f]);
    }
    rep.baseline = {regression_metrics(pm, mu), regression_metrics(ps, sigma)};
  }
  say("cross-validated: " + describe(rep.final_model) + " (first stage: " +
      describe(rep.first_stage) + "; constant: mu MAE " + format(rep.baseline.mu.mae) +
      ", sigma MAE " + format(rep.baseline.sigma.mae) + ")");

  PredictorModel model;
  {
    std::vector<double> pm(n), ps(n);
    for (std::size_t i = 0; i < n; ++i) {
      pm[i] = back_mu(final_mu[i]);
      ps[i] = back_sigma(final_sigma[i]);
    }
    model.uncertainty = ResidualUncertainty::fit(pm, mu, ps, sigma, options.uncertainty_bins);
  }

  say("fitting the final heads on all " + std::to_string(n) + " problems");
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::vector<RidgeFit> fits(2);
  auto fit_one = [&](std::size_t t) {
    const double lambda = t == 0 ? rep.mu_lambda : rep.sigma_lambda;
    fits[t] = std::move(fit_ridge(x, all, {t == 0 ? t_mu : t_sigma}, lambda, solver)[0]);
  };
  if (options.threads >= 2) {
    std::exception_ptr error;
    std::thread worker([&] {
      try {
        fit_one(1);
      } catch (...) {
        error = std::current_exception();
      }
    });
    fit_one(0);
    worker.join();
    if (error) std::rethrow_exception(error);
  } else {
    fit_one(0);
    fit_one(1);
  }
  auto to_head = [&](const RidgeFit& fit, const TargetTransform& transform, double lambda) {
    LinearHead head;
    head.transform = transform;
    head.lambda = lambda;
    head.intercept = fit.intercept;
    head.weights.assign(full.cols(), 0.0f);
    for (std::size_t j = 0; j < fit.weights.size(); ++j) {
      head.weights[original_column[j]] = static_cast<float>(fit.weights[j]);
    }
    return head;
  };
  model.mu_head = to_head(fits[0], options.mu_transform, rep.mu_lambda);
  model.sigma_head = to_head(fits[1], options.sigma_transform, rep.sigma_lambda);
  model.stacker = stacker;
  model.sigma_floor = options.sigma_floor;
  model.features = std::move(featurizer);
  model.training_mu_mean = std::accumulate(mu.begin(), mu.end(), 0.0) / static_cast<double>(n);
  model.training_sigma_mean =
      std::accumulate(sigma.begin(), sigma.end(), 0.0) / static_cast<double>(n);

  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json penalties = nlohmann::json::array();
  for (const auto& row : rep.penalties) {
    penalties.push_back({{"lambda", row.lambda}, {"cross_validated", figures_to_json(row.figures)}});
  }
  model.training = provenance.is_object() ? provenance : nlohmann::json::object();
  model.training["problems"] = n;
  model.training["options"] = options.to_json();
  model.training["feature_columns_in_use"] = x.cols();
  model.training["chosen_lambda"] = {{"mu", rep.mu_lambda}, {"sigma", rep.sigma_lambda}};
  model.training["solver"] = {{"mu_iterations", fits[0].iterations},
                              {"sigma_iterations", fits[1].iterations},
                              {"converged", fits[0].converged && fits[1].converged}};
  model.training["cross_validated"] = {{"final", figures_to_json(rep.final_model)},
                                       {"first_stage", figures_to_json(rep.first_stage)},
                                       {"constant_baseline", figures_to_json(rep.baseline)},
                                       {"per_lambda_first_stage", penalties}};
  return model;
}

}  // namespace optscale::predict
