// Ridge regression on sparse features, solved by preconditioned conjugate
// gradients on the normal equations with the columns centred implicitly (the
// matrix stays sparse and the intercept is not penalised), and its k-fold
// cross-validation over a grid of penalties. Several targets sharing the
// rows and the penalty are solved together: one pass over the matrix serves
// all of them.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "optscale/predict/feature_matrix.hpp"

namespace optscale::predict {

struct RidgeSolverOptions {
  double tolerance = 1e-4;  // on ||residual|| / ||Xc^T y|| per target
  int max_iterations = 2000;
};

struct RidgeFit {
  std::vector<double> weights;  // one per column
  double intercept = 0.0;       // y = intercept + x . weights
  int iterations = 0;
  bool converged = false;

  double predict(const SparseRow& row) const { return intercept + row.dot(weights); }
};

// For each target t, minimises sum over `rows` of
// (targets[t][k] - b - x_rows[k] . w)^2 + lambda |w|^2 (targets[t] has one
// entry per listed row). `warm_start` (fits of a nearby problem, one per
// target) speeds the solver up. Throws optscale::Error for lambda <= 0,
// mismatched sizes or non-finite targets.
std::vector<RidgeFit> fit_ridge(const FeatureMatrix& x, std::span<const std::size_t> rows,
                                const std::vector<std::vector<double>>& targets, double lambda,
                                const RidgeSolverOptions& options = {},
                                const std::vector<RidgeFit>* warm_start = nullptr);

// Fold of each of n items: a seeded shuffle dealt round-robin into `folds`.
// The same (n, folds, seed) gives the same folds on every platform.
std::vector<int> assign_folds(std::size_t n, int folds, std::uint64_t seed);

struct RidgeCrossValidation {
  std::vector<double> lambdas;  // largest first
  // out_of_fold[t][l][i]: prediction of target t for row i by the fit at
  // lambdas[l] on the other folds.
  std::vector<std::vector<std::vector<double>>> out_of_fold;
};

// k-fold cross-validation of fit_ridge over all rows of x for every penalty
// (largest first, each fit warm-starting the next), folds run on `threads`.
RidgeCrossValidation cross_validate_ridge(const FeatureMatrix& x,
                                          const std::vector<std::vector<double>>& targets,
                                          std::vector<double> lambdas,
                                          std::span<const int> fold_of, int threads,
                                          const RidgeSolverOptions& options = {});

}  // namespace optscale::predict
