#include "optscale/predict/ridge.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <numeric>
#include <string>
#include <thread>

#include "optscale/util/error.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::predict {
namespace {

// K vectors of length d stored interleaved: v[j * K + t].
struct Block {
  std::size_t d, k;
  std::vector<double> v;
  Block(std::size_t d_, std::size_t k_) : d(d_), k(k_), v(d_ * k_, 0.0) {}
  double& at(std::size_t j, std::size_t t) { return v[j * k + t]; }
  double at(std::size_t j, std::size_t t) const { return v[j * k + t]; }
};

// Per-target dot products of two blocks.
std::vector<double> dots(const Block& a, const Block& b) {
  std::vector<double> out(a.k, 0.0);
  for (std::size_t j = 0; j < a.d; ++j) {
    for (std::size_t t = 0; t < a.k; ++t) out[t] += a.at(j, t) * b.at(j, t);
  }
  return out;
}

}  // namespace

std::vector<RidgeFit> fit_ridge(const FeatureMatrix& x, std::span<const std::size_t> rows,
                                const std::vector<std::vector<double>>& targets, double lambda,
                                const RidgeSolverOptions& options,
                                const std::vector<RidgeFit>* warm_start) {
  const std::string where = "fit_ridge";
  require(std::isfinite(lambda) && lambda > 0.0, where, "lambda must be finite and > 0");
  require(!rows.empty(), where, "no training rows");
  require(!targets.empty(), where, "no targets");
  const std::size_t k = targets.size(), d = x.cols(), m = rows.size();
  const double n = static_cast<double>(m);
  for (const auto& y : targets) {
    require(y.size() == m, where, "one target value per row is needed");
    for (std::size_t r = 0; r < m; ++r) {
      if (!std::isfinite(y[r])) {
        throw Error(where + ": non-finite target at row " + std::to_string(rows[r]));
      }
    }
  }
  std::vector<double> mean, sum_sq;
  x.column_moments(rows, mean, sum_sq);
  std::vector<double> y_mean(k);
  std::vector<double> y_centred(m * k);
  for (std::size_t t = 0; t < k; ++t) {
    y_mean[t] = std::accumulate(targets[t].begin(), targets[t].end(), 0.0) / n;
    for (std::size_t r = 0; r < m; ++r) y_centred[r * k + t] = targets[t][r] - y_mean[t];
  }

  // Gather (X v for each target) and scatter (X^T u) over the listed rows.
  std::vector<double> xv(m * k);
  auto multiply = [&](const Block& v) {
    std::vector<double> shift(k, 0.0);
    for (std::size_t j = 0; j < d; ++j) {
      for (std::size_t t = 0; t < k; ++t) shift[t] += mean[j] * v.at(j, t);
    }
    for (std::size_t r = 0; r < m; ++r) {
      for (std::size_t t = 0; t < k; ++t) xv[r * k + t] = -shift[t];
    }
    x.for_each_entry(rows, [&](std::size_t r, std::uint32_t c, float value) {
      for (std::size_t t = 0; t < k; ++t) xv[r * k + t] += v.at(c, t) * value;
    });
  };
  auto multiply_transposed = [&](const std::vector<double>& u, Block& out) {
    std::fill(out.v.begin(), out.v.end(), 0.0);
    x.for_each_entry(rows, [&](std::size_t r, std::uint32_t c, float value) {
      for (std::size_t t = 0; t < k; ++t) out.at(c, t) += u[r * k + t] * value;
    });
  };
  // A v = Xc^T Xc v + lambda v, with Xc = X - 1 mean^T: Xc v = X v - (mean.v) 1,
  // and Xc^T u = X^T u for u summing to zero (which Xc v does).
  auto apply = [&](const Block& v, Block& out) {
    multiply(v);
    multiply_transposed(xv, out);
    for (std::size_t i = 0; i < out.v.size(); ++i) out.v[i] += lambda * v.v[i];
  };

  Block b(d, k), w(d, k), r(d, k), z(d, k), p(d, k), ap(d, k);
  multiply_transposed(y_centred, b);  // Xc^T y_c = X^T y_c (y_c sums to 0)
  std::vector<double> inv_diag(d);
  for (std::size_t j = 0; j < d; ++j) {
    inv_diag[j] = 1.0 / (std::max(sum_sq[j] - n * mean[j] * mean[j], 0.0) + lambda);
  }
  if (warm_start) {
    require(warm_start->size() == k, where, "one warm start per target is needed");
    for (std::size_t t = 0; t < k; ++t) {
      require((*warm_start)[t].weights.size() == d, where, "warm start of the wrong dimension");
      for (std::size_t j = 0; j < d; ++j) w.at(j, t) = (*warm_start)[t].weights[j];
    }
  }
  apply(w, ap);
  for (std::size_t i = 0; i < r.v.size(); ++i) r.v[i] = b.v[i] - ap.v[i];
  for (std::size_t j = 0; j < d; ++j) {
    for (std::size_t t = 0; t < k; ++t) z.at(j, t) = inv_diag[j] * r.at(j, t);
  }
  p.v = z.v;
  std::vector<double> b_norm = dots(b, b), rz = dots(r, z);
  for (double& v : b_norm) v = std::sqrt(v);
  std::vector<bool> done(k, false);
  std::vector<int> iterations(k, 0);
  for (int iteration = 0; iteration <= options.max_iterations; ++iteration) {
    const auto rr = dots(r, r);
    bool all_done = true;
    for (std::size_t t = 0; t < k; ++t) {
      if (!done[t] && std::sqrt(rr[t]) <= options.tolerance * b_norm[t]) {
        done[t] = true;
        iterations[t] = iteration;
      }
      all_done = all_done && done[t];
    }
    if (all_done || iteration == options.max_iterations) break;
    apply(p, ap);
    const auto pap = dots(p, ap);
    std::vector<double> alpha(k, 0.0);
    for (std::size_t t = 0; t < k; ++t) alpha[t] = done[t] ? 0.0 : rz[t] / pap[t];
    for (std::size_t j = 0; j < d; ++j) {
      for (std::size_t t = 0; t < k; ++t) {
        w.at(j, t) += alpha[t] * p.at(j, t);
        r.at(j, t) -= alpha[t] * ap.at(j, t);
        z.at(j, t) = inv_diag[j] * r.at(j, t);
      }
    }
    const auto rz_next = dots(r, z);
    for (std::size_t t = 0; t < k; ++t) {
      const double beta = done[t] ? 0.0 : rz_next[t] / rz[t];
      rz[t] = rz_next[t];
      for (std::size_t j = 0; j < d; ++j) p.at(j, t) = done[t] ? 0.0 : z.at(j, t) + beta * p.at(j, t);
    }
    for (std::size_t t = 0; t < k; ++t) {
      if (!done[t]) iterations[t] = iteration + 1;
    }
  }

  std::vector<RidgeFit> fits(k);
  for (std::size_t t = 0; t < k; ++t) {
    fits[t].weights.resize(d);
    double shift = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      fits[t].weights[j] = w.at(j, t);
      shift += mean[j] * w.at(j, t);
    }
    fits[t].intercept = y_mean[t] - shift;
    fits[t].iterations = iterations[t];
    fits[t].converged = done[t];
  }
  return fits;
}

std::vector<int> assign_folds(std::size_t n, int folds, std::uint64_t seed) {
  require(folds >= 2, "assign_folds", "at least 2 folds are needed");
  require(n >= static_cast<std::size_t>(folds), "assign_folds",
          [&] { return std::to_string(n) + " items cannot fill " + std::to_string(folds) + " folds"; });
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Fisher-Yates with splitmix64 draws: std::shuffle differs between
  // standard libraries, this does not.
  std::uint64_t state = seed;
  auto next = [&state] { return util::splitmix64_next(state); };
  for (std::size_t i = n - 1; i > 0; --i) std::swap(order[i], order[next() % (i + 1)]);
  std::vector<int> fold_of(n);
  for (std::size_t k = 0; k < n; ++k) fold_of[order[k]] = static_cast<int>(k % folds);
  return fold_of;
}

RidgeCrossValidation cross_validate_ridge(const FeatureMatrix& x,
                                          const std::vector<std::vector<double>>& targets,
                                          std::vector<double> lambdas,
                                          std::span<const int> fold_of, int threads,
                                          const RidgeSolverOptions& options) {
  const std::string where = "cross_validate_ridge";
  require(fold_of.size() == x.rows(), where, "one fold per row is needed");
  require(!targets.empty(), where, "no targets");
  for (const auto& y : targets) require(y.size() == x.rows(), where, "one target value per row is needed");
  require(!lambdas.empty(), where, "no penalties to try");
  std::sort(lambdas.begin(), lambdas.end(), std::greater<>());
  const int folds = *std::max_element(fold_of.begin(), fold_of.end()) + 1;
  RidgeCrossValidation cv;
  cv.lambdas = lambdas;
  cv.out_of_fold.assign(
      targets.size(),
      std::vector<std::vector<double>>(lambdas.size(), std::vector<double>(x.rows(), 0.0)));

  auto run_fold = [&](int fold) {
    std::vector<std::size_t> train, held_out;
    for (std::size_t i = 0; i < x.rows(); ++i) (fold_of[i] == fold ? held_out : train).push_back(i);
    require(!train.empty() && !held_out.empty(), where,
            [&] { return "fold " + std::to_string(fold) + " leaves no training or no held-out rows"; });
    std::vector<std::vector<double>> train_targets(targets.size());
    for (std::size_t t = 0; t < targets.size(); ++t) {
      for (auto i : train) train_targets[t].push_back(targets[t][i]);
    }
    std::vector<RidgeFit> previous;
    for (std::size_t l = 0; l < lambdas.size(); ++l) {
      auto fits = fit_ridge(x, train, train_targets, lambdas[l], options,
                            previous.empty() ? nullptr : &previous);
      // Each fold writes only its own rows: no two threads touch one entry.
      for (std::size_t t = 0; t < targets.size(); ++t) {
        for (auto i : held_out) cv.out_of_fold[t][l][i] = fits[t].predict(x.row(i));
      }
      previous = std::move(fits);
    }
  };
  const int workers = std::clamp(threads, 1, folds);
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(workers);
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      try {
        for (int fold = w; fold < folds; fold += workers) run_fold(fold);
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  }
  for (auto& t : pool) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return cv;
}

}  // namespace optscale::predict
