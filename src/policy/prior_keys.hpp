// The spec keys that name where a strategy's priors come from:
//   predictor=PATH   a predictor model file ("default": the shipped model)
//   priors=PATH      a priors file ([mu, sigma] list by position, or map by id)
// (at most one of the two), and the check that the runner resolved them.
#pragma once
#include <optional>
#include <string>

#include "optscale/policy/policy.hpp"
#include "optscale/policy/prior_source.hpp"
#include "spec_reader.hpp"

namespace optscale::policy::detail {

std::optional<PriorSource> read_prior_source(SpecReader& reader);
// Writes the key only when a source is named (canonical specs without one are unchanged).
void write_prior_source(SpecWriter& writer, const std::optional<PriorSource>& source);

// Throws naming `who` and the problem when the strategy names a source but the
// problem's prior was not resolved from it (ProblemInfo::prior_source).
void require_prior_resolved(const ProblemInfo& problem, const std::optional<PriorSource>& source,
                            const std::string& who);

}  // namespace optscale::policy::detail
