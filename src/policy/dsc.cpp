// dsc: difficulty-adaptive self-consistency (paper-spec §5), without the
// reference's oracle. Across the problem set, before any problem runs:
//   1. rank problems from easiest to hardest by a difficulty that is known
//      before sampling (the prior mu: the problems' own, or resolved by the
//      runner from predictor=PATH / priors=PATH) or paid for (the mean of
//      each problem's first `peek` scores) -- never by the full pool;
//   2. binary-search the ranking for the easy prefix as the reference does:
//      l = 0, r = #problems; mid = (l + r) / 2; judge positions mid-1 and mid
//      (the reference's "window 3" covers these two); if both are easy, mark
//      [l, mid] easy and l = mid + 1, else r = mid. A position is easy when its
//      problem's first `window` answers all agree (none_votes decides whether
//      "no answer" can agree) -- a probe, judged once per problem;
//   3. easy problems draw 1 sample (or keep what probing and peeking already
//      drew) and vote; the others run ASC up to n, continuing from the samples
//      already drawn (the criterion is checked on that prefix first).
// Every probed or peeked sample is charged to its own problem, instead of the
// reference's flat overhead estimate; its never-firing "hard" search is left
// out.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "asc_core.hpp"
#include "factories.hpp"
#include "prior_keys.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/policy/stop_reason.hpp"
#include "optscale/policy/vote.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::policy::detail {

namespace {

struct DscConfig {
  int budget = 0;
  int window = 5;
  double threshold = 0.95;
  bool none_votes = false;
  bool difficulty_from_prior = false;
  int peek = 1;  // used when the difficulty comes from peeked scores
  std::optional<PriorSource> priors;  // predictor= / priors= (difficulty=prior)
};

struct ProblemDecision {
  bool easy = false;
  int prepaid = 0;  // samples already drawn while planning (peeks, probe)
};

class DscPolicy final : public ProblemPolicy {
 public:
  DscPolicy(const DscConfig& config, ProblemDecision decision)
      : decision_(decision), none_votes_(config.none_votes),
        core_(config.budget, config.threshold, config.none_votes) {}

  Step next(std::span<const Observation> observed) override {
    const int drawn = static_cast<int>(observed.size());
    if (decision_.easy) {
      if (drawn == 0) return Step::more(std::max(decision_.prepaid, 1));
      return Step::stop(stop_reason::kEasy);
    }
    if (drawn < decision_.prepaid) return Step::more(decision_.prepaid - drawn);
    return core_.next(observed);
  }

  int select(std::span<const Observation> observed) const override {
    return decision_.easy ? majority_vote(observed, none_votes_) : core_.select(observed);
  }

 private:
  ProblemDecision decision_;
  bool none_votes_;
  AscCore core_;
};

class DscPlan final : public DatasetPlan {
 public:
  DscPlan(const DscConfig& config, std::vector<ProblemDecision> decisions, std::vector<std::string> warnings)
      : config_(config), decisions_(std::move(decisions)), warnings_(std::move(warnings)) {}
  std::vector<std::string> warnings() const override { return warnings_; }
  std::unique_ptr<ProblemPolicy> start(std::size_t index) const override {
    OPTSCALE_INVARIANT(index < decisions_.size(), "dsc plan: problem index " + std::to_string(index) +
                                                      " out of range (plan holds " +
                                                      std::to_string(decisions_.size()) + " problems)");
    return std::make_unique<DscPolicy>(config_, decisions_[index]);
  }

 private:
  DscConfig config_;
  std::vector<ProblemDecision> decisions_;
  std::vector<std::string> warnings_;
};

class DifficultyAdaptive final : public BasicStrategy {
 public:
  explicit DifficultyAdaptive(DscConfig config)
      : BasicStrategy(make_spec(config), config.budget, config.priors), config_(config) {}

  bool cross_problem() const override { return true; }

  std::unique_ptr<ProblemPolicy> start(const ProblemInfo& problem) const override {
    throw Error(spec_text() + " on problem '" + problem.id +
                "': dsc decides across problems; run it through Strategy::plan over the whole set");
  }

  std::unique_ptr<DatasetPlan> plan(std::span<const ProblemInfo> problems,
                                    const ProbeFn& probe) const override {
    // Every runner passes a probe to a cross_problem() strategy.
    OPTSCALE_INVARIANT(static_cast<bool>(probe), spec_text() + " needs a probe function to draw samples while planning");
    std::vector<ProblemDecision> decisions(problems.size());
    const auto fetch = [&](std::size_t problem, int count) {
      std::vector<Observation> observed = probe(problem, count);
      const std::string where = spec_text() + " probing problem '" + problems[problem].id + "'";
      require(observed.size() == static_cast<std::size_t>(count), where,
              [&] { return "probe returned " + std::to_string(observed.size()) + " samples, asked for " +
                  std::to_string(count); });
      validate_observations(observed, where);
      decisions[problem].prepaid = std::max(decisions[problem].prepaid, count);
      return observed;
    };

    // 1. Easiness, higher = easier.
    std::vector<double> ease(problems.size());
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (config_.difficulty_from_prior) {
        require_prior_resolved(problems[i], config_.priors, spec_text());
        require(problems[i].prior.has_value(), [&] { return spec_text() + " on problem '" + problems[i].id + "'"; },
                "difficulty=prior but the problem has no prior [mu, sigma]");
        ease[i] = (*problems[i].prior)[0];
        require(std::isfinite(ease[i]), [&] { return spec_text() + " on problem '" + problems[i].id + "'"; },
                "prior mu must be finite");
      } else {
        const std::vector<Observation> peeked = fetch(i, config_.peek);
        double sum = 0.0;
        for (const Observation& o : peeked) sum += o.score;
        ease[i] = sum / config_.peek;
      }
    }
    std::vector<std::string> warnings;
    if (ease.size() >= 2 && std::all_of(ease.begin(), ease.end(), [&](double e) { return e == ease.front(); })) {
      warnings.push_back(spec_text() + ": all " + std::to_string(ease.size()) + " problems tie on difficulty (" +
                         (config_.difficulty_from_prior ? "prior mu" : "mean of the peeked scores") +
                         "), so the ranking is the input order and its easy prefix means nothing");
    }
    std::vector<std::size_t> ranked(problems.size());
    std::iota(ranked.begin(), ranked.end(), std::size_t{0});
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&ease](std::size_t a, std::size_t b) { return ease[a] > ease[b]; });

    // 2. Binary search for the easy prefix of the ranking.
    enum class Judgement { unknown, easy, not_easy };
    std::vector<Judgement> judged(ranked.size(), Judgement::unknown);
    std::size_t left = 0, right = ranked.size();
    while (left < right) {
      const std::size_t mid = (left + right) / 2;
      bool all_easy = true;
      for (std::size_t position = mid == 0 ? 0 : mid - 1; position <= mid; ++position) {
        if (judged[position] == Judgement::unknown) {
          const auto answers = fetch(ranked[position], config_.window);
          judged[position] = all_agree(answers, config_.none_votes) ? Judgement::easy : Judgement::not_easy;
        }
        all_easy = all_easy && judged[position] == Judgement::easy;
      }
      if (all_easy) {
        for (std::size_t position = left; position <= mid; ++position) decisions[ranked[position]].easy = true;
        left = mid + 1;
      } else {
        right = mid;
      }
    }
    return std::make_unique<DscPlan>(config_, std::move(decisions), std::move(warnings));
  }

 private:
  static std::string make_spec(const DscConfig& config) {
    SpecWriter writer("dsc");
    writer.add("n", config.budget)
        .add("window", config.window)
        .add("threshold", config.threshold)
        .add("difficulty", config.difficulty_from_prior ? "prior" : "peek")
        .add("peek", config.peek)
        .add("none_votes", config.none_votes ? 1 : 0);
    write_prior_source(writer, config.priors);
    return writer.str();
  }
  DscConfig config_;
};

}  // namespace

std::unique_ptr<Strategy> make_dsc(SpecReader& reader) {
  DscConfig config;
  config.budget = read_budget(reader);
  config.window = reader.integer("window", config.window, 1, 100000);
  if (config.window > config.budget)
    reader.fail("window", "the probe of " + std::to_string(config.window) +
                              " samples must fit in the budget n=" + std::to_string(config.budget));
  config.threshold = read_asc_threshold(reader);
  config.priors = read_prior_source(reader);
  // Naming a prior source means ranking by it: difficulty defaults to prior then.
  config.difficulty_from_prior =
      reader.choice("difficulty", config.priors ? "prior" : "peek", {"peek", "prior"}) == "prior";
  if (config.priors && !config.difficulty_from_prior)
    reader.fail("difficulty", "difficulty=peek ignores the spec's " + config.priors->key() +
                                  "; use difficulty=prior");
  config.peek = reader.integer("peek", config.peek, 1, 100000);
  if (config.peek > config.budget)
    reader.fail("peek", "must not exceed the budget n=" + std::to_string(config.budget));
  config.none_votes = read_none_votes(reader);
  return std::make_unique<DifficultyAdaptive>(config);
}

}  // namespace optscale::policy::detail
