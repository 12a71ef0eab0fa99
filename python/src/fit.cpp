// optscale.fit: one problem's score law TN(mu, sigma) from observed scores,
// MLE or (with a prior) MAP, as `optscale fit --json` (stats/estimators.hpp).
#include <pybind11/stl.h>

#include <array>
#include <optional>
#include <vector>

#include "bindings.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/util/error.hpp"

namespace optscale::python {

void bind_fit(py::module_& m) {
  m.def(
      "fit",
      [](std::vector<double> scores, std::optional<std::array<double, 2>> prior,
         std::optional<std::array<double, 2>> prior_std, const std::string& bounds_text) {
        require(prior.has_value() || !prior_std.has_value(), "fit", "prior_std needs a prior: give prior=(mu, sigma)");
        require(bounds_text == "default" || bounds_text == "reference", "fit",
                "bounds must be \"default\" or \"reference\", got \"" + bounds_text + "\"");
        std::optional<stats::FitPrior> fit_prior;
        if (prior) {
          const std::array<double, 2> std_of = prior_std.value_or(
              std::array<double, 2>{stats::FitPrior{}.std_mu, stats::FitPrior{}.std_sigma});
          fit_prior = stats::FitPrior{(*prior)[0], (*prior)[1], std_of[0], std_of[1]};
        }
        const stats::FitBounds bounds =
            bounds_text == "reference" ? stats::FitBounds::reference_parity() : stats::FitBounds{};
        stats::FitResult fit;
        {
          py::gil_scoped_release release;
          stats::check_scores(scores, "fit: scores");
          fit = stats::fit_truncated_normal(scores, fit_prior, bounds);
        }
        py::dict out;
        out["mu"] = fit.mu;
        out["sigma"] = fit.sigma;
        out["log_likelihood"] = fit.log_likelihood;
        out["objective"] = fit.objective;
        out["converged"] = fit.converged;
        out["iterations"] = fit.iterations;
        out["stationarity"] = fit.stationarity;
        out["method"] = fit_prior ? "map" : "mle";
        out["bounds"] = bounds_text;
        out["k"] = scores.size();
        return out;
      },
      py::arg("scores"), py::kw_only(), py::arg("prior") = py::none(), py::arg("prior_std") = py::none(),
      py::arg("bounds") = "default",
      R"(Estimate a problem's score law TN(mu, sigma) on [0, 1] from its observed
scores (at least one, each finite and in [0, 1]).

Without a prior: maximum likelihood (OptScale^0). With prior=(mu, sigma):
maximum a posteriori with normal priors of those means and standard
deviations prior_std (default (0.1, 0.1), the paper's), as OptScale^t.
bounds: "default" (mu in [-1, 2], sigma in [0.005, 10]) or "reference" (the
reference code's box: mu free, sigma >= 1e-6).

Returns the fields of `optscale fit --json`: {"mu", "sigma",
"log_likelihood", "objective", "converged", "iterations", "stationarity",
"method": "mle"|"map", "bounds", "k"}. Raises optscale.Error for bad scores.)");
}

}  // namespace optscale::python
