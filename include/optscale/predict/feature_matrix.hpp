// Rows of features as the regression head sees them: a compressed sparse row
// matrix (float values, the precision the features carry) with the two
// products the solver needs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace optscale::predict {

// One row: strictly increasing column indices and their values.
struct SparseRow {
  std::vector<std::uint32_t> index;
  std::vector<float> value;
  double dot(std::span<const double> weights) const;
};

class FeatureMatrix {
 public:
  explicit FeatureMatrix(std::size_t cols = 0) : cols_(cols) {}

  // Throws optscale::Error if an index is out of range or not increasing.
  void append(const SparseRow& row);

  std::size_t rows() const { return row_start_.size() - 1; }
  std::size_t cols() const { return cols_; }
  std::size_t nonzeros() const { return col_.size(); }

  // Calls f(k, column, value) for every stored entry of rows[k], row by row.
  template <typename F>
  void for_each_entry(std::span<const std::size_t> rows, F&& f) const {
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t r = rows[k];
      for (std::size_t p = row_start_[r]; p < row_start_[r + 1]; ++p) f(k, col_[p], val_[p]);
    }
  }
  // Column means and column sums of squares over the listed rows.
  void column_moments(std::span<const std::size_t> rows, std::vector<double>& mean,
                      std::vector<double>& sum_squares) const;

  SparseRow row(std::size_t r) const;

  // The same rows over only the columns that hold a value, renumbered from
  // the most to the least often used (the solver's gathers and scatters then
  // stay in cache); original_column[j] is new column j's old index.
  FeatureMatrix compacted(std::vector<std::uint32_t>& original_column) const;

 private:
  std::size_t cols_;
  std::vector<std::size_t> row_start_{0};
  std::vector<std::uint32_t> col_;
  std::vector<float> val_;
};

}  // namespace optscale::predict
