// Where a strategy's per-problem priors come from when its spec names them
// rather than reading them from the problems: a predictor model file (spec
// key `predictor=PATH`, `optscale run --predictor`) or a priors file
// (`priors=PATH`, `optscale run --priors`). Only the name lives here, with the
// strategies; the runners resolve it into predictions with
// predict::resolve_priors (predict/prior_source.hpp), so a spec means the same
// prior offline and online.
#pragma once
#include <string>
#include <string_view>

namespace optscale::policy {

struct PriorSource {
  enum class Kind { model, priors_file };
  Kind kind = Kind::model;
  std::string path;  // as written; a model named "default" is predict::default_model_path()

  // How a spec writes it: "predictor=PATH" or "priors=PATH".
  std::string key() const;
  // text == key(), without building it (policies check it per problem).
  bool has_key(std::string_view text) const;
  bool operator==(const PriorSource&) const = default;
};

}  // namespace optscale::policy
