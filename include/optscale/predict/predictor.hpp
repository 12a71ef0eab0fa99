// A prior predictor: from a problem, before any sample is drawn, the
// predicted score law (mu, sigma) and how uncertain each is. OptScale^t's MAP
// uses mu/sigma as prior means and mu_std/sigma_std as prior standard
// deviations (the paper fixes both at 0.1; kParityPriorStd keeps that).
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace optscale::predict {

inline constexpr double kParityPriorStd = 0.1;

struct Prediction {
  double mu = 0.0;
  double sigma = 0.0;
  double mu_std = kParityPriorStd;
  double sigma_std = kParityPriorStd;
};

// What a predictor may look at. Text models read `text`; a priors file reads
// `id` (a map by id), `text` (a list joined to its problems file) or `index`
// (a bare list in problem order).
struct ProblemRef {
  std::string_view text;
  std::string_view id = {};
  std::optional<std::size_t> index = {};
};

class Predictor {
 public:
  virtual ~Predictor() = default;
  // Throws optscale::Error when the problem cannot be predicted (e.g. a
  // priors file without it, an unreachable embeddings server).
  virtual Prediction predict(const ProblemRef& problem) const = 0;
  // Many at once (the embeddings model batches its requests); the default
  // calls predict() for each.
  virtual std::vector<Prediction> predict_all(std::span<const ProblemRef> problems) const;
  // One line saying what this is ("text model models/default-predictor.json").
  virtual std::string describe() const = 0;
};

}  // namespace optscale::predict
