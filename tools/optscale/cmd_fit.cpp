// optscale fit: estimate one problem's score law TN(mu, sigma) from observed
// scores, by maximum likelihood (OptScale^0) or, given a prior, maximum a
// posteriori (OptScale^t). See docs/estimators.md.
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

// "0.91, 0.97,0.88" -> {0.91, 0.97, 0.88}; every item must be a whole number
// literal (checked here), finite and in [0, 1] (checked by the library).
std::vector<double> parse_score_list(const std::string& text) {
  std::vector<double> scores;
  std::size_t start = 0;
  for (int item = 1;; ++item) {
    const std::size_t comma = text.find(',', start);
    std::string token = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto first = token.find_first_not_of(" \t");
    const auto last = token.find_last_not_of(" \t");
    token = first == std::string::npos ? "" : token.substr(first, last - first + 1);
    require(!token.empty(), "--scores", [&] { return "item " + std::to_string(item) + " is empty"; });
    double value = 0.0;
    const char* end = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(token.data(), end, value);
    require(ec == std::errc() && ptr == end, "--scores",
            [&] { return "item " + std::to_string(item) + " ('" + token + "') is not a number"; });
    scores.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  stats::check_scores(scores, "--scores");
  return scores;
}

struct FitOptions {
  std::string scores;
  double prior_mu = 0.0, prior_sigma = 0.0;
  double prior_std_mu = stats::FitPrior{}.std_mu, prior_std_sigma = stats::FitPrior{}.std_sigma;
  std::string bounds = "default";
  bool json = false;
  CLI::Option *prior_mu_opt = nullptr, *prior_sigma_opt = nullptr;
  CLI::Option *prior_std_mu_opt = nullptr, *prior_std_sigma_opt = nullptr;
};

std::optional<stats::FitPrior> prior_from(const FitOptions& o) {
  const bool has_mu = o.prior_mu_opt->count() > 0, has_sigma = o.prior_sigma_opt->count() > 0;
  if (!has_mu && !has_sigma) {
    require(o.prior_std_mu_opt->count() == 0 && o.prior_std_sigma_opt->count() == 0, "fit",
            "--prior-std-mu/--prior-std-sigma need a prior: give --prior-mu and --prior-sigma");
    return std::nullopt;
  }
  require(has_mu && has_sigma, "fit",
          [&] { return std::string("a prior needs both --prior-mu and --prior-sigma; missing ") +
              (has_mu ? "--prior-sigma" : "--prior-mu"); });
  return stats::FitPrior{o.prior_mu, o.prior_sigma, o.prior_std_mu, o.prior_std_sigma};
}

int run_fit(const FitOptions& o) {
  const std::vector<double> scores = parse_score_list(o.scores);
  const std::optional<stats::FitPrior> prior = prior_from(o);
  const stats::FitBounds bounds =
      o.bounds == "reference" ? stats::FitBounds::reference_parity() : stats::FitBounds{};
  const stats::FitResult fit = stats::fit_truncated_normal(scores, prior, bounds);

  if (o.json) {
    nlohmann::json out = {{"mu", fit.mu},
                          {"sigma", fit.sigma},
                          {"log_likelihood", fit.log_likelihood},
                          {"objective", fit.objective},
                          {"converged", fit.converged},
                          {"iterations", fit.iterations},
                          {"stationarity", fit.stationarity},
                          {"method", prior ? "map" : "mle"},
                          {"bounds", o.bounds},
                          {"k", scores.size()}};
    std::cout << out.dump() << "\n";
  } else {
    std::printf("method          %s from %zu score%s (%s bounds)\n", prior ? "MAP" : "MLE",
                scores.size(), scores.size() == 1 ? "" : "s", o.bounds.c_str());
    std::printf("mu              %.10g\n", fit.mu);
    std::printf("sigma           %.10g\n", fit.sigma);
    std::printf("log likelihood  %.10g\n", fit.log_likelihood);
    if (prior) std::printf("log posterior   %.10g\n", fit.objective);
    std::printf("converged       %s (%d iterations, stationarity %.3g)\n",
                fit.converged ? "yes" : "no", fit.iterations, fit.stationarity);
  }
  if (!fit.converged)
    std::cerr << "optscale: warning: the fit did not converge; the estimate is the best point "
                 "reached (with --bounds reference the likelihood may have no maximum)\n";
  return 0;
}

const CommandRegistration kFit{
    "fit",
    "Estimate a problem's score law TN(mu, sigma) on [0,1] from observed scores (MLE, or MAP "
    "with --prior-mu/--prior-sigma)",
    [](CLI::App& sub) -> std::function<int()> {
      auto o = std::make_shared<FitOptions>();
      add_flag_option(sub, "--scores", o->scores,
                      "Comma-separated scores in [0,1], e.g. 0.91,0.97,0.88 (at least one)")
          ->required();
      o->prior_mu_opt =
          add_flag_option(sub, "--prior-mu", o->prior_mu, "Prior mean of mu (enables MAP)");
      o->prior_sigma_opt = add_flag_option(sub, "--prior-sigma", o->prior_sigma,
                                           "Prior mean of sigma (enables MAP; may be < 0, as "
                                           "the reference predictor's are)");
      o->prior_std_mu_opt = add_flag_option(sub, "--prior-std-mu", o->prior_std_mu,
                                            "Prior standard deviation of mu (default 0.1)");
      o->prior_std_sigma_opt = add_flag_option(sub, "--prior-std-sigma", o->prior_std_sigma,
                                               "Prior standard deviation of sigma (default 0.1)");
      add_flag_option(sub, "--bounds", o->bounds,
                      "Parameter box: 'default' (mu in [-1,2], sigma in [0.005,10]) or "
                      "'reference' (the reference code's: mu free, sigma >= 1e-6)")
          ->check(CLI::IsMember({"default", "reference"}));
      sub.add_flag("--json", o->json, "Print one JSON object instead of text")
          ->envname(env_name("--json"));
      return [o] { return run_fit(*o); };
    }};

}  // namespace
}  // namespace optscale::cli
