#include "optscale/predict/model_predictor.hpp"

#include <cmath>
#include <cstdlib>
#include <system_error>

#include "optscale/util/data_files.hpp"
#include "optscale/util/error.hpp"

namespace optscale::predict {

ModelPredictor::ModelPredictor(PredictorModel model, std::string source,
                               ModelPredictorOptions options)
    : model_(std::move(model)), source_(std::move(source)), options_(std::move(options)) {
  require(model_.features != nullptr, "ModelPredictor", "the model has no featurizer");
  if (options_.fixed_prior_std) {
    require(std::isfinite(*options_.fixed_prior_std) && *options_.fixed_prior_std > 0.0,
            "ModelPredictor", "the fixed prior std must be finite and > 0");
  }
}

ModelPredictor ModelPredictor::load(const std::filesystem::path& path,
                                    ModelPredictorOptions options) {
  auto model = load_model(path, options.overrides);
  return ModelPredictor(std::move(model), path.string(), std::move(options));
}

Prediction ModelPredictor::finish(Prediction p) const {
  if (options_.fixed_prior_std) p.mu_std = p.sigma_std = *options_.fixed_prior_std;
  return p;
}

Prediction ModelPredictor::predict(const ProblemRef& problem) const {
  return predict_all(std::span<const ProblemRef>(&problem, 1)).front();
}

std::vector<Prediction> ModelPredictor::predict_all(std::span<const ProblemRef> problems) const {
  std::vector<std::string> texts;
  texts.reserve(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (problems[i].text.empty()) {
      std::string name = "problem ";
      if (problems[i].id.empty()) {
        name += std::to_string(i);
      } else {
        name.append("'").append(problems[i].id).append("'");
      }
      throw Error(source_ + ": " + name + " has no text to predict from");
    }
    texts.emplace_back(problems[i].text);
  }
  auto predictions = model_.predict_texts(texts);
  for (auto& p : predictions) p = finish(p);
  return predictions;
}

std::string ModelPredictor::describe() const {
  return model_.features->kind() + " model " + source_;
}

std::filesystem::path default_model_path() {
  if (const char* env = std::getenv("OPTSCALE_PREDICTOR"); env && *env) {
    const std::filesystem::path path = env;
    if (!std::filesystem::is_regular_file(path)) {
      throw Error(std::string("OPTSCALE_PREDICTOR: '").append(env).append("' is not a readable file"));
    }
    return path;
  }
  return find_data_file("models/default-predictor.json", "default predictor",
                        "name one with --model or OPTSCALE_PREDICTOR");
}

}  // namespace optscale::predict
