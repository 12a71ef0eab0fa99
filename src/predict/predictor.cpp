#include "optscale/predict/predictor.hpp"

namespace optscale::predict {

std::vector<Prediction> Predictor::predict_all(std::span<const ProblemRef> problems) const {
  std::vector<Prediction> out;
  out.reserve(problems.size());
  for (const auto& p : problems) out.push_back(predict(p));
  return out;
}

}  // namespace optscale::predict
