#include "optscale/replay/recommendation.hpp"

#include <algorithm>

#include "optscale/replay/report.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

// A rival this close in tokens (relative) is a tie, not a win.
constexpr double kCloseCall = 1.1;

std::string name(const TunedCell& cell) { return cell.family + " n=" + std::to_string(cell.budget); }

std::string percent(double accuracy) { return fixed(100.0 * accuracy, 2) + "%"; }

std::string ratio(double a, double b) { return b > 0.0 ? fixed(a / b, 2) + "x" : "n/a"; }

bool reads_scores(const TunedCell& cell) { return evidence_of(cell.family) != Evidence::agreement; }

// Fewer tokens first; equal tokens: higher accuracy.
bool cheaper(const TunedCell& a, const TunedCell& b) {
  if (a.tokens.mean != b.tokens.mean) return a.tokens.mean < b.tokens.mean;
  return a.accuracy.mean > b.accuracy.mean;
}

}  // namespace

Evidence evidence_of(const std::string& family) {
  if (family == "sc" || family == "esc" || family == "asc" || family == "dsc") return Evidence::agreement;
  if (family == "hybrid") return Evidence::both;
  return Evidence::score;
}

Recommendation recommend(const std::vector<TunedCell>& cells, const std::string& label, double margin) {
  if (cells.empty()) throw Error("recommend: no tuned cells for " + label);
  Recommendation r;
  for (const TunedCell& cell : cells)
    if (r.best == nullptr || cell.accuracy.mean > r.best->accuracy.mean + 1e-12 ||
        (cell.accuracy.mean > r.best->accuracy.mean - 1e-12 && cell.tokens.mean < r.best->tokens.mean))
      r.best = &cell;
  r.tolerance = std::max(margin, r.best->accuracy.se);
  const double floor = r.best->accuracy.mean - r.tolerance - 1e-12;
  for (const TunedCell& cell : cells) {
    if (cell.accuracy.mean < floor) continue;
    if (r.pick == nullptr || cheaper(cell, *r.pick)) r.pick = &cell;
  }
  const bool pick_reads_scores = reads_scores(*r.pick);
  for (const TunedCell& cell : cells) {
    if (cell.accuracy.mean < floor || reads_scores(cell) == pick_reads_scores) continue;
    if (r.rival == nullptr || cheaper(cell, *r.rival)) r.rival = &cell;
  }

  const TunedCell& pick = *r.pick;
  std::string line = label + ": pick " + name(pick) + " (" + percent(pick.accuracy.mean) + " at " +
                     fixed(pick.tokens.mean, 0) + " tokens per problem): ";
  const bool one_se = r.tolerance > margin;
  const std::string points = one_se ? "one standard error (" + fixed(100.0 * r.tolerance, 2) + " points)"
                                    : fixed(100.0 * margin, 1) + " points";
  if (r.best == r.pick) {
    line += "the most accurate cell, and no cell within " + points + " of it is cheaper";
  } else {
    line += "within " + points + " of the most accurate cell (" + name(*r.best) + ", " +
            percent(r.best->accuracy.mean) + ") at " + ratio(pick.tokens.mean, r.best->tokens.mean) + " its tokens";
  }
  // The rival within 10% of the pick's tokens: the evidence it lacks made no
  // real difference.
  const bool close_call = r.rival != nullptr && r.rival->tokens.mean <= kCloseCall * pick.tokens.mean;
  if (pick_reads_scores) {
    if (r.rival == nullptr)
      line += "; no agreement-only policy comes within " + points + ": the verifier pays here.";
    else if (close_call)
      line += "; answer agreement alone (" + name(*r.rival) + ") does as well at " +
              ratio(r.rival->tokens.mean, pick.tokens.mean) + " the tokens: the verifier adds little here.";
    else
      line += "; answer agreement alone (" + name(*r.rival) + ") needs " + ratio(r.rival->tokens.mean, pick.tokens.mean) +
              " the tokens for that accuracy: the verifier pays here.";
  } else {
    if (r.rival == nullptr)
      line += "; no score-reading policy comes within " + points + ": the verifier does not pay here.";
    else if (close_call)
      line += "; a score-reading policy (" + name(*r.rival) + ") does as well at " +
              ratio(r.rival->tokens.mean, pick.tokens.mean) + " the tokens: the verifier adds little here.";
    else
      line += "; the cheapest score-reading policy that close (" + name(*r.rival) + ") needs " +
              ratio(r.rival->tokens.mean, pick.tokens.mean) + " the tokens: the verifier does not pay here.";
  }
  r.line = std::move(line);
  return r;
}

}  // namespace optscale::replay
