// Best-of-N selection with the reference's empty-completion rule
// (paper-spec §4): take the first argmax of the scores; while the chosen
// sample is empty, set its score to 0 and take the argmax again; if the
// highest score left is 0, there is no answer.
#pragma once
#include <span>

#include "optscale/policy/policy.hpp"

namespace optscale::policy {

// Index of the selected sample, or -1 (no answer: no samples, or only empty
// ones once their scores are zeroed).
int best_of_n(std::span<const Observation> observed);

// Highest score among non-empty samples; -1 when there is none.
double best_usable_score(std::span<const Observation> observed);

}  // namespace optscale::policy
