// One regression target's linear model: y = inverse(intercept + x . w) with
// the target's transform. Weights are kept in float32, exactly as the model
// file stores them, so a model predicts the same before and after saving.
#pragma once
#include <vector>

#include "optscale/predict/feature_matrix.hpp"
#include "optscale/predict/target_transform.hpp"

namespace optscale::predict {

struct LinearHead {
  TargetTransform transform;
  double lambda = 0.0;        // the ridge penalty it was fitted with (provenance)
  double intercept = 0.0;
  std::vector<float> weights; // one per feature column

  // On the transformed scale, and mapped back.
  double predict_transformed(const SparseRow& row) const;
  double predict(const SparseRow& row) const { return transform.inverse(predict_transformed(row)); }
};

}  // namespace optscale::predict
