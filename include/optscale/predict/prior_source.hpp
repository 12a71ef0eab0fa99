// Resolving a strategy's named prior source (policy::PriorSource: a predictor
// model file or a priors file) into one prediction per problem. Replay and
// the live engine resolve through resolve_priors, so a spec means the same
// prior offline and online.
#pragma once
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/policy/prior_source.hpp"
#include "optscale/predict/predictor.hpp"

namespace optscale::predict {

// The name lives with the strategies (policy sits below predict).
using policy::PriorSource;

// The file to read: default_model_path() for the model "default", else the path as written.
std::filesystem::path prior_file(const PriorSource& source);

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
