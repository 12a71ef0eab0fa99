// The reasons a policy gives when it stops (Step::reason), one vocabulary for
// every strategy so that reports can count them (docs/strategies.md).
#pragma once

namespace optscale::policy::stop_reason {

inline constexpr const char* kBudget = "budget";              // drew its whole budget n
inline constexpr const char* kConsistent = "consistent";      // esc window agreed / asc, dsc Beta criterion met
inline constexpr const char* kEasy = "easy";                  // dsc: problem judged easy
inline constexpr const char* kBound = "bound";                // optscale: N* samples suffice (N* <= n)
inline constexpr const char* kCapped = "capped";              // optscale: N* > n, drew the budget
inline constexpr const char* kUnreachable = "unreachable";    // optscale: F(s*) = 1 under the fit, drew the budget
inline constexpr const char* kTargetReached = "target-reached";  // optscale-seq: best score >= s*
inline constexpr const char* kFutility = "futility";          // optscale-seq: P(reach s* in what is left) < futility

}  // namespace optscale::policy::stop_reason
