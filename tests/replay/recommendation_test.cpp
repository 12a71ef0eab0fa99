#include "optscale/replay/recommendation.hpp"

#include <gtest/gtest.h>

#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

TunedCell cell(const std::string& family, int budget, double accuracy, double tokens) {
  TunedCell c;
  c.family = family;
  c.budget = budget;
  c.accuracy.mean = accuracy;
  c.tokens.mean = tokens;
  return c;
}

// Closer than one standard error of the best cell's accuracy, the pool cannot
// tell two cells apart: the cheaper is picked, and the line says the tolerance.
TEST(Recommendation, CellsWithinOneStandardErrorOfTheBestCountAsEquallyAccurate) {
  std::vector<TunedCell> cells = {cell("optscale0", 64, 0.9825, 85000), cell("optscalet", 32, 0.9816, 78851),
                                  cell("hybrid", 8, 0.9770, 10000), cell("asc", 8, 0.9750, 9000)};
  cells[0].accuracy.se = 0.0059;  // 500 problems at 98%
  const Recommendation r = recommend(cells, "strong verifier");
  EXPECT_DOUBLE_EQ(r.tolerance, 0.0059);
  EXPECT_EQ(r.best, &cells[0]);
  EXPECT_EQ(r.pick, &cells[2]);   // hybrid n=8: 0.55 points below the best, within its 0.59
  EXPECT_EQ(r.rival, nullptr);    // asc n=8 is 0.75 points below: outside
  EXPECT_NE(r.line.find("within one standard error (0.59 points) of the most accurate cell (optscale0 n=64"),
            std::string::npos) << r.line;
  // A standard error below the margin leaves the margin in force.
  cells[0].accuracy.se = 0.001;
  const Recommendation narrow = recommend(cells, "strong verifier");
  EXPECT_DOUBLE_EQ(narrow.tolerance, 0.002);
  EXPECT_EQ(narrow.pick, &cells[1]);
  EXPECT_NE(narrow.line.find("within 0.2 points"), std::string::npos) << narrow.line;
}

TEST(Recommendation, AgreementWinsWhenItReachesTheTopCheaper) {
  // Real pools of strong reasoners: asc is as accurate as the best score policy
  // at a fraction of its tokens.
  const std::vector<TunedCell> cells = {
      cell("bon", 64, 0.985, 120000), cell("optscale-seq", 64, 0.989, 70000), cell("optscale-seq", 16, 0.975, 20000),
      cell("asc", 8, 0.980, 9000),    cell("asc", 16, 0.988, 12000),          cell("hybrid", 16, 0.9875, 15000)};
  const Recommendation r = recommend(cells, "weak verifier");
  EXPECT_EQ(r.best, &cells[1]);
  EXPECT_EQ(r.pick, &cells[4]);   // asc n=16: within 0.2 points of the best, cheapest
  EXPECT_EQ(r.rival, &cells[5]);  // hybrid n=16 reads scores and is within 0.2 points
  EXPECT_EQ(r.line.rfind("weak verifier: pick asc n=16 (98.80% at 12000 tokens per problem)", 0), 0u) << r.line;
  EXPECT_NE(r.line.find("optscale-seq n=64"), std::string::npos) << r.line;
  EXPECT_NE(r.line.find("0.17x its tokens"), std::string::npos) << r.line;
  EXPECT_NE(r.line.find("(hybrid n=16) needs 1.25x the tokens"), std::string::npos) << r.line;
  EXPECT_NE(r.line.find("the verifier does not pay here."), std::string::npos) << r.line;
}

TEST(Recommendation, ScorePolicyWinsWhenAgreementFallsShort) {
  // A strong verifier: optscale-seq gets 1 point more than any agreement policy.
  const std::vector<TunedCell> cells = {cell("asc", 16, 0.980, 12000), cell("asc", 64, 0.981, 20000),
                                        cell("optscale-seq", 8, 0.990, 11000), cell("optscale-seq", 64, 0.991, 40000),
                                        cell("sc", 64, 0.979, 100000)};
  const Recommendation r = recommend(cells, "strong verifier");
  EXPECT_EQ(r.best, &cells[3]);
  EXPECT_EQ(r.pick, &cells[2]);
  EXPECT_EQ(r.rival, nullptr);
  EXPECT_EQ(r.line.rfind("strong verifier: pick optscale-seq n=8", 0), 0u) << r.line;
  EXPECT_NE(r.line.find("no agreement-only policy comes within 0.2 points: the verifier pays here."),
            std::string::npos)
      << r.line;
}

TEST(Recommendation, TheMostAccurateCellWhenNothingCheaperIsClose) {
  const std::vector<TunedCell> cells = {cell("asc", 16, 0.95, 10000), cell("hybrid", 32, 0.99, 30000)};
  const Recommendation r = recommend(cells, "p");
  EXPECT_EQ(r.pick, &cells[1]);
  EXPECT_EQ(r.pick, r.best);
  EXPECT_NE(r.line.find("the most accurate cell"), std::string::npos) << r.line;
  EXPECT_NE(r.line.find("the verifier pays here"), std::string::npos) << r.line;
}

TEST(Recommendation, MarginIsInclusiveAndTiesGoToFewerTokens) {
  // Exactly 0.2 points below the best counts as close.
  const std::vector<TunedCell> cells = {cell("optscale0", 64, 0.990, 50000), cell("esc", 32, 0.988, 20000),
                                        cell("asc", 32, 0.988, 20000)};
  const Recommendation r = recommend(cells, "p");
  EXPECT_EQ(r.pick, &cells[1]);  // equal figures: the first
  EXPECT_EQ(r.rival, &cells[0]);
}

TEST(Recommendation, ARivalWithinTenPercentOfTheTokensIsATie) {
  // hybrid reading an uninformative verifier: as accurate as asc, a hair cheaper.
  const std::vector<TunedCell> cells = {cell("hybrid", 8, 0.9756, 17884), cell("asc", 8, 0.9756, 17884 * 1.05),
                                        cell("asc", 64, 0.9775, 28468)};
  const Recommendation r = recommend(cells, "weak verifier");
  EXPECT_EQ(r.pick, &cells[0]);
  EXPECT_EQ(r.rival, &cells[1]);
  EXPECT_NE(r.line.find("answer agreement alone (asc n=8) does as well at 1.05x the tokens: the verifier adds "
                        "little here."),
            std::string::npos)
      << r.line;
}

TEST(Recommendation, EvidenceOfEachFamily) {
  EXPECT_EQ(evidence_of("asc"), Evidence::agreement);
  EXPECT_EQ(evidence_of("dsc"), Evidence::agreement);
  EXPECT_EQ(evidence_of("wsc"), Evidence::score);
  EXPECT_EQ(evidence_of("optscale-seq"), Evidence::score);
  EXPECT_EQ(evidence_of("hybrid"), Evidence::both);
  EXPECT_THROW(recommend({}, "p"), Error);
}

}  // namespace
}  // namespace optscale::replay
