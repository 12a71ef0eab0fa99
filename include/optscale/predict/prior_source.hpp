// Where a strategy's per-problem priors come from when they are named rather
// than read from the problems themselves: a predictor model file (spec key
// `predictor=PATH`, `optscale run --predictor`) or a priors file (`priors=PATH`,
// `optscale run --priors`). Replay and the live engine resolve both through
// resolve_priors, so a spec means the same prior offline and online.
#pragma once
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/predict/predictor.hpp"

namespace optscale::predict {

struct PriorSource {
  enum class Kind { model, priors_file };
  Kind kind = Kind::model;
  std::string path;  // as written; a model named "default" is default_model_path()

  // How a spec writes it: "predictor=PATH" or "priors=PATH".
  std::string key() const;
  // text == key(), without building it (policies check it per problem).
  bool has_key(std::string_view text) const;
  // The file to read (default_model_path() for the model "default").
  std::filesystem::path file() const;
  bool operator==(const PriorSource&) const = default;
};

// One prediction per problem, in order. The problems' `index` is ignored:
// position i is problem i. Throws optscale::Error naming the source and the
// problem: a file that does not exist or cannot be read; for a model, a
// problem without text; for a priors file, a list whose length is not the
// number of problems, or a map by id with an id that is no problem's or a
// problem without an entry.
std::vector<Prediction> resolve_priors(const PriorSource& source, std::span<const ProblemRef> problems);

// predictor.predict_all with the problems numbered by position; throws when it
// returns a different number of predictions. `who` names the source in errors.
std::vector<Prediction> predict_priors(const Predictor& predictor, std::span<const ProblemRef> problems);

}  // namespace optscale::predict
