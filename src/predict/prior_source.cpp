#include "optscale/predict/prior_source.hpp"

#include <optional>

#include "optscale/predict/model_predictor.hpp"
#include "optscale/predict/priors_predictor.hpp"
#include "optscale/util/error.hpp"

namespace optscale::predict {

std::filesystem::path prior_file(const PriorSource& source) {
  if (source.kind == PriorSource::Kind::model && source.path == "default") return default_model_path();
  return source.path;
}

namespace {

std::vector<ProblemRef> numbered(std::span<const ProblemRef> problems) {
  std::vector<ProblemRef> refs(problems.begin(), problems.end());
  for (std::size_t i = 0; i < refs.size(); ++i) refs[i].index = i;
  return refs;
}

std::string problem_name(const ProblemRef& problem, std::size_t position) {
  return (problem.id.empty() ? std::string("problem") : "problem '" + std::string(problem.id) + "'") + " (#" +
         std::to_string(position + 1) + ")";
}

}  // namespace

std::vector<Prediction> predict_priors(const Predictor& predictor, std::span<const ProblemRef> problems) {
  const std::vector<ProblemRef> refs = numbered(problems);
  std::vector<Prediction> predictions = predictor.predict_all(refs);
  require(predictions.size() == refs.size(), predictor.describe(),
          [&] { return std::to_string(predictions.size()) + " predictions for " + std::to_string(refs.size()) + " problems"; });
  return predictions;
}

std::vector<Prediction> resolve_priors(const PriorSource& source, std::span<const ProblemRef> problems) {
  const std::string who = source.key();
  require(!source.path.empty(), who, "names no file");
  const std::filesystem::path file = prior_file(source);
  require(std::filesystem::is_regular_file(file), who,
          [&] { return "'" + file.string() + "' does not exist or is not a file"; });
  const std::vector<ProblemRef> refs = numbered(problems);
  if (source.kind == PriorSource::Kind::model) {
    for (std::size_t i = 0; i < refs.size(); ++i)
      require(!refs[i].text.empty(), who,
              [&] { return problem_name(refs[i], i) + " has no text to predict its prior from (the pool's `problem` field)"; });
    try {
      return predict_priors(ModelPredictor::load(file), refs);
    } catch (const Error& e) {
      throw Error(who + ": " + e.what());
    }
  }
  const PriorsPredictor priors = PriorsPredictor::from_file(file);
  priors.require_exact_cover(refs);
  return predict_priors(priors, refs);
}

}  // namespace optscale::predict
