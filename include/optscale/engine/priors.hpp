// Per-problem priors [mu, sigma] for optscalet: from a file (a JSON list in
// problem order, the paper's {DS}_priors.json, or an object keyed by problem
// id) or from a predictor. They replace the problems' own `prior` fields.
#pragma once
#include <filesystem>
#include <vector>

#include "optscale/engine/problems.hpp"
#include "optscale/predict/predictor.hpp"

namespace optscale::engine {

// Throws optscale::Error naming the file: unreadable or malformed JSON, a
// list whose length is not the number of problems, an id that is not a
// problem's (or a problem missing from an object), an entry that is not two
// finite numbers.
void apply_priors(const std::filesystem::path& path, std::vector<Problem>& problems);

// Every problem's prior and prior std from a predictor (the problem text,
// id and index are what it may look at); they replace the problems' own.
void apply_predictor(const predict::Predictor& predictor, std::vector<Problem>& problems);

}  // namespace optscale::engine
