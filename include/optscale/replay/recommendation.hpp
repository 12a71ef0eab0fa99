// Which policy to pick on a pool, from the tuned figures just measured: the
// cheapest cell whose accuracy is within one standard error of the most
// accurate one's (the "one-standard-error rule" of model selection: closer
// than that, the pool cannot tell them apart), or within `margin` when that
// is wider, and why (what the cheapest cell of the other kind of evidence
// would cost). The demo prints it; it is computed, never written by hand.
#pragma once
#include <string>
#include <vector>

#include "optscale/replay/tuning.hpp"

namespace optscale::replay {

// The evidence a family stops and selects on.
enum class Evidence {
  agreement,  // answers only: sc, esc, asc, dsc
  score,      // the verifier's scores: bon, wsc, optscale0, optscalet, optscale-seq
  both,       // hybrid
};
Evidence evidence_of(const std::string& family);

struct Recommendation {
  double tolerance = 0.0;            // max(margin, the best cell's accuracy standard error)
  const TunedCell* pick = nullptr;   // the cheapest cell within tolerance of the best
  const TunedCell* best = nullptr;   // the most accurate cell (ties: fewest tokens)
  // The cheapest cell within tolerance that uses the other evidence (agreement
  // only when the pick reads scores; score-reading when it does not);
  // nullptr when none comes that close.
  const TunedCell* rival = nullptr;
  std::string line;                  // one line: "<label>: pick ... because ..."
};

// The line names the pick, how it compares with the most accurate cell, and
// the rival: absent ("the verifier pays / does not pay here"), within 10% of
// the pick's tokens ("the verifier adds little here"), or its token ratio.
// `margin` is in accuracy (0.002 = 0.2 points, the hybrid bar's margin): the
// tolerance when the best cell's standard error (TunedCell::accuracy.se) is
// smaller, or unknown (0).
// Throws optscale::Error when `cells` is empty.
Recommendation recommend(const std::vector<TunedCell>& cells, const std::string& label, double margin = 0.002);

}  // namespace optscale::replay
