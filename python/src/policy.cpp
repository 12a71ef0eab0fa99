// optscale.Policy: one problem's live loop in Python, on the one per-problem
// driver the replay, the engine and the proxy use (policy::ProblemRun), so a
// Python loop over a pool's samples makes exactly `optscale eval`'s decisions.
#include <pybind11/stl.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "optscale/answers/answer_classes.hpp"
#include "optscale/policy/policy.hpp"
#include "optscale/policy/problem_run.hpp"
#include "optscale/policy/spec.hpp"
#include "optscale/predict/prior_source.hpp"
#include "optscale/util/error.hpp"

namespace optscale::python {
namespace {

// Owns everything the run refers to (strategy, problem, fits) and never
// moves: pybind11 keeps it behind a unique_ptr.
class LivePolicy {
 public:
  LivePolicy(const std::string& spec, const std::optional<std::vector<double>>& prior,
             const std::optional<std::string>& problem, const std::string& id, const std::string& grouping) {
    auto strategies = policy::make_strategies(spec);
    require(strategies.size() == 1, "Policy", "\"" + spec + "\" is a sweep of " + std::to_string(strategies.size()) +
                                                  " configurations; give one (no '|' lists)");
    strategy_ = std::move(strategies.front());
    info_.id = id;
    info_.text = problem.value_or("");
    info_.fits = &fits_;
    if (const auto source = strategy_->prior_source()) {
      require(!prior, "Policy", strategy_->spec() + " names its priors (" + source->key() +
                                    "); don't pass prior= as well");
      py::gil_scoped_release release;
      const predict::ProblemRef ref{info_.text, info_.id};
      const predict::Prediction p = predict::resolve_priors(*source, std::span(&ref, 1)).front();
      info_.prior = std::array<double, 2>{p.mu, p.sigma};
      info_.prior_std = std::array<double, 2>{p.mu_std, p.sigma_std};
      info_.prior_source = source->key();
    } else if (prior) {
      require(prior->size() == 2 || prior->size() == 4, "Policy",
              "prior must be (mu, sigma) or (mu, sigma, mu_std, sigma_std), got " + std::to_string(prior->size()) +
                  " numbers");
      info_.prior = std::array<double, 2>{(*prior)[0], (*prior)[1]};
      if (prior->size() == 4) info_.prior_std = std::array<double, 2>{(*prior)[2], (*prior)[3]};
    }
    run_.emplace(*strategy_, info_, answers::parse_answer_grouping(grouping));
  }
  LivePolicy(const LivePolicy&) = delete;
  LivePolicy& operator=(const LivePolicy&) = delete;

  int next() {
    if (!run_->started()) return run_->start().draw;
    if (run_->stopped()) return 0;
    require(run_->wanted() == 0, "Policy.next()",
            std::to_string(run_->wanted()) + " of the " + std::to_string(run_->asked()) +
                " samples asked for are not observed yet");
    return run_->step().draw;
  }

  void observe(double score, std::optional<std::string> answer, long long tokens, std::optional<std::string> text) {
    require(run_->started(), "Policy.observe()", "call next() first: the policy has not asked for samples yet");
    require(!run_->stopped(), "Policy.observe()", "the policy has stopped (" + run_->stop_reason() + ")");
    require(run_->wanted() > 0, "Policy.observe()",
            "all " + std::to_string(run_->asked()) + " samples asked for are observed; call next()");
    policy::DrawnSample sample;
    sample.score = score;
    sample.tokens = tokens;
    sample.answer = std::move(answer);
    if (text) sample.text = std::string_view(*text);
    py::gil_scoped_release release;  // extracting the answer from a long text
    run_->observe(sample);
  }

  int select() {
    require(run_->stopped(), "Policy.select()", "the policy has not stopped yet (next() has not returned 0)");
    if (!result_) result_ = run_->finish();
    return result_->selected;
  }

  std::optional<std::string> stop_reason() const {
    return run_->stopped() ? std::optional<std::string>(run_->stop_reason()) : std::nullopt;
  }

  std::optional<std::string> selected_answer() {
    const int index = select();
    return index < 0 ? std::nullopt : run_->answer(static_cast<std::size_t>(index));
  }

  std::vector<std::optional<std::string>> answers() const {
    std::vector<std::optional<std::string>> out;
    for (int i = 0; i < run_->observed(); ++i) out.push_back(run_->answer(static_cast<std::size_t>(i)));
    return out;
  }

  std::vector<double> scores() const {
    std::vector<double> out;
    for (const policy::Observation& o : run_->observations()) out.push_back(o.score);
    return out;
  }

  long long tokens() const {
    long long sum = 0;
    for (const policy::Observation& o : run_->observations()) sum += o.tokens;
    return sum;
  }

  const policy::ProblemRun& run() const { return *run_; }
  std::string spec() const { return strategy_->spec(); }

 private:
  std::unique_ptr<policy::Strategy> strategy_;
  policy::DirectFitProvider fits_;
  policy::ProblemInfo info_;
  std::optional<policy::ProblemRun> run_;
  std::optional<policy::RunResult> result_;
};

}  // namespace

void bind_policy(py::module_& m) {
  py::class_<LivePolicy>(m, "Policy", R"(One problem's stopping policy, for a sampling loop written in Python.

    policy = optscale.Policy("optscale-seq:n=16,peek=5,target=0.95,confidence=0.95")
    k = policy.next()                      # how many samples to draw now; 0 = stop
    while k > 0:
        for text, score, tokens in draw(k):
            policy.observe(score, text=text, tokens=tokens)
        k = policy.next()
    best = policy.select()                 # index of the chosen sample (-1: none)

It runs on the same per-problem driver as `optscale eval`, `optscale run` and
`optscale serve`: answers are grouped into vote classes in draw order, and the
policy contract (never past the budget, a reason to stop) is checked the
same way, so the same samples in the same order give the same decisions.
Cross-problem strategies (dsc) need a whole dataset: use eval.)")
      .def(py::init([](const std::string& spec, const std::optional<std::vector<double>>& prior,
                       const std::optional<std::string>& problem, const std::string& id,
                       const std::string& answer_grouping) {
             return std::make_unique<LivePolicy>(spec, prior, problem, id, answer_grouping);
           }),
           py::arg("spec"), py::arg("prior") = py::none(), py::kw_only(), py::arg("problem") = py::none(),
           py::arg("id") = "", py::arg("answer_grouping") = "equivalent",
           R"(spec: one strategy configuration (docs/strategies.md), e.g.
"optscale0:n=16,peek=5,target=0.95,confidence=0.95". prior: OptScale^t's
prior (mu, sigma), or (mu, sigma, mu_std, sigma_std) as Predictor.predict
gives (the stds are used where the spec says prior_std=predictor; else the
spec's prior_std, 0.1 by default). A spec with predictor=PATH|default or
priors=PATH resolves the prior itself from `problem` (the problem text) and
`id`, loading the file on every Policy: for many problems, load a Predictor
once and pass prior= instead. answer_grouping: "equivalent" (default)
or "raw". Raises optscale.Error for a bad spec, naming the key.)")
      .def("next", &LivePolicy::next,
           R"(How many more samples to draw now (then observe each); 0: stop. The
first call asks before any sample; each later call needs every sample asked
for observed. After the stop it keeps returning 0.)")
      .def("observe", &LivePolicy::observe, py::arg("score"), py::arg("answer") = py::none(),
           py::arg("tokens") = 0, py::arg("text") = py::none(),
           R"(One drawn sample, in draw order: its verifier score in [0, 1], its final
answer (extracted from `text` when not given; see extract_answer), its
completion tokens, and optionally its text ("" marks an empty completion).
Raises optscale.Error for a sample that was not asked for or a bad score.)")
      .def("select", &LivePolicy::select,
           R"(The index (in draw order) of the sample the policy selects once it has
stopped; -1 when none can be (no sample, or no answer to vote for).)")
      .def_property_readonly("stop_reason", &LivePolicy::stop_reason,
                             "Why the policy stopped (e.g. \"target-reached\", \"budget\", \"consistent\"); None until then.")
      .def_property_readonly("stopped", [](const LivePolicy& p) { return p.run().stopped(); },
                             "Whether next() has returned 0.")
      .def_property_readonly("observed", [](const LivePolicy& p) { return p.run().observed(); },
                             "Samples observed so far.")
      .def_property_readonly("wanted", [](const LivePolicy& p) { return p.run().wanted(); },
                             "Samples asked for and not observed yet.")
      .def_property_readonly("budget", [](const LivePolicy& p) { return p.run().budget(); },
                             "The most samples the strategy ever draws.")
      .def_property_readonly("spec", &LivePolicy::spec, "The canonical spec of the strategy.")
      .def_property_readonly("answer", &LivePolicy::selected_answer,
                             "The selected sample's final answer (None: none); needs the stop, as select().")
      .def_property_readonly("answers", &LivePolicy::answers, "Every observed sample's final answer, in draw order.")
      .def_property_readonly("scores", &LivePolicy::scores, "Every observed sample's score, in draw order.")
      .def_property_readonly("tokens", &LivePolicy::tokens, "Tokens of every observed sample, summed.")
      .def("__repr__", [](const LivePolicy& p) {
        return "<optscale.Policy " + p.spec() + ": " + std::to_string(p.run().observed()) + " observed" +
               (p.run().stopped() ? ", stopped (" + p.run().stop_reason() + ")>" : ">");
      });
}

}  // namespace optscale::python
