#include "optscale/predict/ridge.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "optscale/util/error.hpp"

namespace optscale::predict {
namespace {

// A random sparse matrix and two targets depending on a few columns.
struct Problem {
  FeatureMatrix x{12};
  Eigen::MatrixXd dense;
  std::vector<std::vector<double>> targets{{}, {}};
};

Problem make_problem(std::size_t rows) {
  Problem p;
  p.dense = Eigen::MatrixXd::Zero(rows, 12);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (std::size_t r = 0; r < rows; ++r) {
    SparseRow row;
    for (std::uint32_t c = 0; c < 12; ++c) {
      if ((r * 5 + c * 3) % 4 == 0) continue;  // some zeros
      const float v = static_cast<float>(u(rng));
      row.index.push_back(c);
      row.value.push_back(v);
      p.dense(r, c) = v;
    }
    p.x.append(row);
    p.targets[0].push_back(2.0 + p.dense(r, 0) - 0.5 * p.dense(r, 3) + 0.1 * u(rng));
    p.targets[1].push_back(-1.0 + 0.3 * p.dense(r, 7) + 0.1 * u(rng));
  }
  return p;
}

// Closed form with an unpenalised intercept: centre, then (Xc'Xc + l I) w = Xc'yc.
std::pair<Eigen::VectorXd, double> closed_form(const Eigen::MatrixXd& x, const std::vector<double>& y,
                                               double lambda) {
  const Eigen::VectorXd yv = Eigen::Map<const Eigen::VectorXd>(y.data(), y.size());
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - mean;
  const double y_mean = yv.mean();
  const Eigen::MatrixXd a = xc.transpose() * xc + lambda * Eigen::MatrixXd::Identity(x.cols(), x.cols());
  const Eigen::VectorXd w = a.ldlt().solve(xc.transpose() * (yv.array() - y_mean).matrix());
  return {w, y_mean - mean.dot(w)};
}

TEST(FitRidge, MatchesTheClosedFormForEveryTarget) {
  const Problem p = make_problem(80);
  std::vector<std::size_t> rows(80);
  std::iota(rows.begin(), rows.end(), 0);
  RidgeSolverOptions options;
  options.tolerance = 1e-12;
  for (double lambda : {0.1, 3.0}) {
    const auto fits = fit_ridge(p.x, rows, p.targets, lambda, options);
    ASSERT_EQ(fits.size(), 2u);
    for (std::size_t t = 0; t < 2; ++t) {
      const auto [w, b] = closed_form(p.dense, p.targets[t], lambda);
      EXPECT_TRUE(fits[t].converged);
      EXPECT_NEAR(fits[t].intercept, b, 1e-9);
      for (int j = 0; j < 12; ++j) EXPECT_NEAR(fits[t].weights[j], w[j], 1e-9) << "t=" << t << " j=" << j;
    }
  }
}

TEST(FitRidge, UsesOnlyTheListedRowsAndWarmStartsToTheSameAnswer) {
  const Problem p = make_problem(60);
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < 60; r += 2) rows.push_back(r);
  std::vector<std::vector<double>> y(1);
  Eigen::MatrixXd sub(rows.size(), 12);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    y[0].push_back(p.targets[0][rows[k]]);
    sub.row(k) = p.dense.row(rows[k]);
  }
  RidgeSolverOptions options;
  options.tolerance = 1e-12;
  const auto cold = fit_ridge(p.x, rows, y, 0.5, options);
  const auto warm = fit_ridge(p.x, rows, y, 0.5, options, &cold);
  const auto [w, b] = closed_form(sub, y[0], 0.5);
  EXPECT_NEAR(cold[0].intercept, b, 1e-9);
  EXPECT_LE(warm[0].iterations, 1);
  for (int j = 0; j < 12; ++j) EXPECT_NEAR(warm[0].weights[j], w[j], 1e-9);
}

TEST(FitRidge, RejectsBadInput) {
  const Problem p = make_problem(10);
  std::vector<std::size_t> rows{0, 1, 2};
  std::vector<std::vector<double>> y{{1.0, 2.0, 3.0}};
  EXPECT_THROW(fit_ridge(p.x, rows, y, 0.0), Error);
  EXPECT_THROW(fit_ridge(p.x, rows, {{1.0, 2.0}}, 1.0), Error);
  EXPECT_THROW(fit_ridge(p.x, rows, {{1.0, NAN, 3.0}}, 1.0), Error);
  EXPECT_THROW(fit_ridge(p.x, {}, {{}}, 1.0), Error);
}

TEST(AssignFolds, DeterministicBalancedAndSeeded) {
  const auto a = assign_folds(103, 5, 1), b = assign_folds(103, 5, 1), c = assign_folds(103, 5, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int> count(5, 0);
  for (int f : a) ++count[f];
  for (int k : count) EXPECT_TRUE(k == 20 || k == 21);
  // Pinned: the fold assignment must not change between platforms or releases.
  EXPECT_EQ(std::vector<int>(a.begin(), a.begin() + 8), (std::vector<int>{3, 2, 2, 4, 4, 1, 2, 1}));
  EXPECT_THROW(assign_folds(3, 5, 1), Error);
  EXPECT_THROW(assign_folds(10, 1, 1), Error);
}

TEST(CrossValidateRidge, OutOfFoldPredictionsComeFromTheOtherFolds) {
  const Problem p = make_problem(50);
  const auto folds = assign_folds(50, 5, 3);
  RidgeSolverOptions options;
  options.tolerance = 1e-12;
  const auto cv = cross_validate_ridge(p.x, p.targets, {0.5, 2.0}, folds, 2, options);
  ASSERT_EQ(cv.lambdas, (std::vector<double>{2.0, 0.5}));
  for (std::size_t l = 0; l < 2; ++l) {
    for (int fold = 0; fold < 5; ++fold) {
      std::vector<std::size_t> train;
      for (std::size_t i = 0; i < 50; ++i) {
        if (folds[i] != fold) train.push_back(i);
      }
      for (std::size_t t = 0; t < 2; ++t) {
        std::vector<std::vector<double>> y(1);
        for (auto i : train) y[0].push_back(p.targets[t][i]);
        const auto fit = fit_ridge(p.x, train, y, cv.lambdas[l], options)[0];
        for (std::size_t i = 0; i < 50; ++i) {
          if (folds[i] == fold) {
            EXPECT_NEAR(cv.out_of_fold[t][l][i], fit.predict(p.x.row(i)), 1e-9);
          }
        }
      }
    }
  }
}

TEST(FeatureMatrix, CompactionKeepsUsedColumnsMostFrequentFirst) {
  FeatureMatrix x(10);
  x.append({{1, 7}, {1.0f, 2.0f}});
  x.append({{7}, {3.0f}});
  x.append({{4, 7}, {4.0f, 5.0f}});
  std::vector<std::uint32_t> original;
  const FeatureMatrix c = x.compacted(original);
  EXPECT_EQ(original, (std::vector<std::uint32_t>{7, 1, 4}));
  EXPECT_EQ(c.cols(), 3u);
  EXPECT_EQ(c.row(0).index, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(c.row(0).value, (std::vector<float>{2.0f, 1.0f}));
  EXPECT_EQ(c.row(2).index, (std::vector<std::uint32_t>{0, 2}));
  EXPECT_THROW(x.append({{3, 2}, {1.0f, 1.0f}}), Error);  // not increasing
  EXPECT_THROW(x.append({{10}, {1.0f}}), Error);          // out of range
}

// Pinned before the hashes moved to util/hash.hpp: saved fold plans must not move.
TEST(Ridge, FoldAssignmentIsPinned) {
  EXPECT_EQ(assign_folds(10, 3, 42), (std::vector<int>{0, 2, 1, 0, 2, 2, 1, 0, 0, 1}));
}

}  // namespace
}  // namespace optscale::predict
