// Priors given per problem in a file, such as the paper's published
// predictor outputs (predictor_priors/*_priors.json), for parity runs of
// OptScale^t. Values are returned exactly as written (the paper's include
// some negative sigmas); the uncertainty is the paper's fixed 0.1 unless
// another is given.
#pragma once
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "optscale/predict/predictor.hpp"

namespace optscale::predict {

class PriorsPredictor final : public Predictor {
 public:
  // `priors` is either a JSON list of [mu, sigma] in problem order, or an
  // object {"<id>": [mu, sigma], ...}. With `problems` (a problems file, see
  // read_problems) a list is joined by problem text; without, by index.
  static PriorsPredictor from_file(const std::filesystem::path& priors,
                                   const std::optional<std::filesystem::path>& problems = {},
                                   double prior_std = kParityPriorStd);

  // Throws optscale::Error when the file has no prior for the problem.
  Prediction predict(const ProblemRef& problem) const override;
  std::string describe() const override;
  std::size_t size() const { return values_.size(); }
  // Throws optscale::Error unless the file gives exactly these problems their
  // priors: a list by position must have one entry per problem; a map by id
  // must name only these problems' ids, and every one of them.
  void require_exact_cover(std::span<const ProblemRef> problems) const;
  // A list without its problems file: matched by position, so nothing can
  // check that it follows the problems' order.
  bool matched_by_position() const { return key_ == Key::index; }
  // How many of `problems` have a prior (by text or id; by position: those
  // whose index is inside the list).
  std::size_t count_matched(std::span<const ProblemRef> problems) const;

 private:
  enum class Key { index, text, id };
  Key key_ = Key::index;
  std::string source_;
  double prior_std_ = kParityPriorStd;
  std::vector<std::array<double, 2>> values_;
  std::map<std::string, std::size_t, std::less<>> lookup_;  // text or id -> values_ index
};

}  // namespace optscale::predict
