// The inverse Mills ratio lambda(x) = phi(x) / Phi(x) of the standard normal,
// in the two forms the truncated-normal likelihood needs to stay exact in the
// lower tail, where phi and Phi both underflow but their ratio is ~ -x.
#pragma once

namespace optscale::stats {

// log lambda(x), finite for every finite x (~ log(-x) for x << 0, ~ log phi(x)
// for x >> 0).
double log_inverse_mills_ratio(double x);

// lambda(x) + x, computed without the cancellation of the two terms in the
// lower tail (~ -1/x for x << 0). Needed by the likelihood gradient.
double inverse_mills_ratio_excess(double x);

}  // namespace optscale::stats
