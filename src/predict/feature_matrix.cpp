#include "optscale/predict/feature_matrix.hpp"

#include <algorithm>
#include <string>

#include "optscale/util/error.hpp"

namespace optscale::predict {

double SparseRow::dot(std::span<const double> weights) const {
  double sum = 0.0;
  for (std::size_t k = 0; k < index.size(); ++k) sum += weights[index[k]] * value[k];
  return sum;
}

void FeatureMatrix::append(const SparseRow& row) {
  require(row.index.size() == row.value.size(), "FeatureMatrix::append",
          "index and value lists differ in length");
  for (std::size_t k = 0; k < row.index.size(); ++k) {
    // Plain ifs, not require(): the message is built only on failure (hot loop).
    if (row.index[k] >= cols_) {
      throw Error("FeatureMatrix::append: column " + std::to_string(row.index[k]) +
                  " out of range (" + std::to_string(cols_) + " columns)");
    }
    if (k > 0 && row.index[k] <= row.index[k - 1]) {
      throw Error("FeatureMatrix::append: column indices must be strictly increasing");
    }
  }
  col_.insert(col_.end(), row.index.begin(), row.index.end());
  val_.insert(val_.end(), row.value.begin(), row.value.end());
  row_start_.push_back(col_.size());
}

void FeatureMatrix::column_moments(std::span<const std::size_t> rows, std::vector<double>& mean,
                                   std::vector<double>& sum_squares) const {
  mean.assign(cols_, 0.0);
  sum_squares.assign(cols_, 0.0);
  for (std::size_t r : rows) {
    for (std::size_t p = row_start_[r]; p < row_start_[r + 1]; ++p) {
      mean[col_[p]] += val_[p];
      sum_squares[col_[p]] += static_cast<double>(val_[p]) * val_[p];
    }
  }
  if (!rows.empty()) {
    for (double& m : mean) m /= static_cast<double>(rows.size());
  }
}

SparseRow FeatureMatrix::row(std::size_t r) const {
  SparseRow out;
  out.index.assign(col_.begin() + row_start_[r], col_.begin() + row_start_[r + 1]);
  out.value.assign(val_.begin() + row_start_[r], val_.begin() + row_start_[r + 1]);
  return out;
}

FeatureMatrix FeatureMatrix::compacted(std::vector<std::uint32_t>& original_column) const {
  std::vector<std::size_t> count(cols_, 0);
  for (auto c : col_) ++count[c];
  original_column.clear();
  for (std::size_t c = 0; c < cols_; ++c) {
    if (count[c] > 0) original_column.push_back(static_cast<std::uint32_t>(c));
  }
  std::stable_sort(original_column.begin(), original_column.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return count[a] > count[b]; });
  std::vector<std::uint32_t> new_index(cols_, 0);
  for (std::size_t j = 0; j < original_column.size(); ++j) {
    new_index[original_column[j]] = static_cast<std::uint32_t>(j);
  }
  FeatureMatrix out(original_column.size());
  std::vector<std::pair<std::uint32_t, float>> entries;
  for (std::size_t r = 0; r < rows(); ++r) {
    entries.clear();
    for (std::size_t p = row_start_[r]; p < row_start_[r + 1]; ++p) {
      entries.emplace_back(new_index[col_[p]], val_[p]);
    }
    std::sort(entries.begin(), entries.end());
    for (auto& [c, v] : entries) {
      out.col_.push_back(c);
      out.val_.push_back(v);
    }
    out.row_start_.push_back(out.col_.size());
  }
  return out;
}

}  // namespace optscale::predict
