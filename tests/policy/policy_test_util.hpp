// Hand-built observation sequences and a scripted fit provider for the policy
// tests.
#pragma once
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/stats/estimators.hpp"
#include "optscale/util/error.hpp"

namespace optscale::policy::testing {

inline Observation obs(double score, int answer_class = 0, long long tokens = 100, bool empty = false) {
  return Observation{score, tokens, answer_class, empty};
}

// One observation per answer class, all with score 0.5 and 10 tokens each.
inline std::vector<Observation> answers(std::initializer_list<int> classes) {
  std::vector<Observation> out;
  for (int c : classes) out.push_back(obs(0.5, c, 10));
  return out;
}

// One observation per score, all in answer class 0, tokens 10 * (index + 1).
inline std::vector<Observation> scores(std::initializer_list<double> values) {
  std::vector<Observation> out;
  for (double v : values) out.push_back(obs(v, 0, 10 * static_cast<long long>(out.size() + 1)));
  return out;
}

// `size` equal observations: `score`, answer class 0, 10 tokens each.
inline std::vector<Observation> flat(int size, double score = 0.5) {
  return std::vector<Observation>(static_cast<std::size_t>(size), obs(score, 0, 10));
}

// A fit provider whose answers the test scripts, and which records each call.
class ScriptedFits final : public FitProvider {
 public:
  struct Call {
    int count;
    std::optional<stats::FitPrior> prior;
    stats::FitBounds bounds;
  };
  using Script = std::function<stats::FitResult(std::span<const Observation>, int)>;

  explicit ScriptedFits(Script script) : script_(std::move(script)) {}
  // Always the same (mu, sigma).
  ScriptedFits(double mu, double sigma)
      : script_([mu, sigma](std::span<const Observation>, int) {
          stats::FitResult r;
          r.mu = mu;
          r.sigma = sigma;
          r.converged = true;
          return r;
        }) {}

  stats::FitResult fit(std::span<const Observation> observed, int count,
                       const std::optional<stats::FitPrior>& prior,
                       const stats::FitBounds& bounds) override {
    calls.push_back(Call{count, prior, bounds});
    return script_(observed, count);
  }

  std::vector<Call> calls;

 private:
  Script script_;
};

// The single strategy of a spec without lists.
inline std::unique_ptr<Strategy> strategy(const std::string& spec) {
  auto all = make_strategies(spec);
  if (all.size() != 1) throw Error("test spec expands to several strategies: " + spec);
  return std::move(all.front());
}

inline ProblemInfo problem(const std::string& id, FitProvider* fits = nullptr) {
  ProblemInfo info;
  info.id = id;
  info.fits = fits;
  return info;
}

}  // namespace optscale::policy::testing
