// Priors for requests whose policy names a predictor model (`predictor=PATH`
// or `predictor=default` in the spec, as OptScale^t takes it offline): each
// model file is loaded once, on first use, and predicts the request's prior
// from its problem text (the last user turn). Priors files (`priors=PATH`)
// map problems by id or position, which proxied requests do not have: refused.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "optscale/policy/policy.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "optscale/predict/prior_source.hpp"

namespace optscale::server {

class RequestPriors {
 public:
  // Loads the source's model unless loaded already. Throws optscale::Error
  // naming the source for a priors file or a model that cannot be loaded.
  void require_usable(const policy::PriorSource& source);
  // Whether the source's model is loaded already.
  bool loaded(const policy::PriorSource& source);

  // Sets info.prior, prior_std and prior_source from the source's model's
  // prediction for info.text. Thread-safe. Throws optscale::Error.
  void apply(const policy::PriorSource& source, policy::ProblemInfo& info);

 private:
  std::shared_ptr<const predict::ModelPredictor> model(const policy::PriorSource& source);

  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const predict::ModelPredictor>> models_;  // by source key
};

}  // namespace optscale::server
