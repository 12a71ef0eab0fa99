#include "optscale/predict/linear_head.hpp"

#include <string>

#include "optscale/util/error.hpp"

namespace optscale::predict {

double LinearHead::predict_transformed(const SparseRow& row) const {
  double sum = intercept;
  for (std::size_t k = 0; k < row.index.size(); ++k) {
    if (row.index[k] >= weights.size()) {  // not require(): no message built per entry
      throw Error("LinearHead: feature column " + std::to_string(row.index[k]) +
                  " beyond the head's " + std::to_string(weights.size()) + " weights");
    }
    sum += static_cast<double>(weights[row.index[k]]) * row.value[k];
  }
  return sum;
}

}  // namespace optscale::predict
