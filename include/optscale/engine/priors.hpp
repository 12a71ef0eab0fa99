// Per-problem priors [mu, sigma] (and their uncertainty) for optscalet, named
// by the strategy spec (predictor=PATH, priors=PATH) or by `optscale run
// --predictor / --priors`. They replace the problems' own `prior` fields. The
// resolution is predict::resolve_priors, the one replay uses.
#pragma once
#include <filesystem>
#include <vector>

#include "optscale/engine/problems.hpp"
#include "optscale/predict/predictor.hpp"
#include "optscale/predict/prior_source.hpp"

namespace optscale::engine {

// Every problem's prior, prior std and prior_source (= source.key()) from
// `source`. Throws optscale::Error as predict::resolve_priors does (missing
// file, a problem without text for a model, a priors list whose length is
// not the number of problems, an id that is not a problem's or a problem
// missing from a map, an entry that is not two finite numbers).
void apply_prior_source(const policy::PriorSource& source, std::vector<Problem>& problems);

// apply_prior_source of the priors file at `path`.
void apply_priors(const std::filesystem::path& path, std::vector<Problem>& problems);

// Every problem's prior and prior std from a predictor (the problem text,
// id and index are what it may look at); they replace the problems' own.
void apply_predictor(const predict::Predictor& predictor, std::vector<Problem>& problems);

}  // namespace optscale::engine
