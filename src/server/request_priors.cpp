#include "optscale/server/request_priors.hpp"

#include <filesystem>

#include "optscale/util/error.hpp"

namespace optscale::server {

std::shared_ptr<const predict::ModelPredictor> RequestPriors::model(const policy::PriorSource& source) {
  const std::string key = source.key();
  if (source.kind != policy::PriorSource::Kind::model)
    throw Error(key + ": a priors file gives priors by problem id or position, which proxied requests do not "
                      "have; name a predictor model instead (predictor=default or predictor=PATH)");
  std::lock_guard lock(mutex_);
  if (const auto found = models_.find(key); found != models_.end()) return found->second;
  const std::filesystem::path file = predict::prior_file(source);
  require(std::filesystem::is_regular_file(file), key, [&] { return "'" + file.string() + "' does not exist or is not a file"; });
  try {
    auto loaded = std::make_shared<const predict::ModelPredictor>(predict::ModelPredictor::load(file));
    models_.emplace(key, loaded);
    return loaded;
  } catch (const Error& e) {
    throw Error(key + ": " + e.what());
  }
}

bool RequestPriors::loaded(const policy::PriorSource& source) {
  std::lock_guard lock(mutex_);
  return models_.count(source.key()) > 0;
}

void RequestPriors::require_usable(const policy::PriorSource& source) { model(source); }

void RequestPriors::apply(const policy::PriorSource& source, policy::ProblemInfo& info) {
  const predict::Prediction p = model(source)->predict(predict::ProblemRef{info.text});
  info.prior = std::array<double, 2>{p.mu, p.sigma};
  info.prior_std = std::array<double, 2>{p.mu_std, p.sigma_std};
  info.prior_source = source.key();
}

}  // namespace optscale::server
