#include "optscale/policy/problem_run.hpp"

#include <cmath>

#include "optscale/answers/answers.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/util/error.hpp"

namespace optscale::policy {

std::string RunName::str() const {
  std::string out = strategy != nullptr ? strategy->spec() : std::string("policy run");
  if (!problem.empty()) out += " on problem '" + std::string(problem) + "'";
  return out;
}

// `what` makes the message, called only on failure: these checks run on
// every round of every replayed run, where building strings costs ~5%.
template <class Message>
void ProblemRun::check(bool condition, const Message& what) const {
  if (!condition) throw Error(name_.str() + ": " + what());
}

ProblemRun::ProblemRun(const Strategy& strategy, const ProblemInfo& problem, answers::AnswerGrouping grouping)
    : ProblemRun(strategy.start(problem), strategy.budget(), RunName{&strategy, problem.id}, grouping) {}

ProblemRun::ProblemRun(std::unique_ptr<ProblemPolicy> policy, int budget, RunName name,
                       answers::AnswerGrouping grouping)
    : owned_(std::move(policy)), policy_(owned_.get()), budget_(budget), name_(name), grouping_(grouping) {
  check(policy_ != nullptr, [] { return std::string("no policy to run"); });
}

ProblemRun::ProblemRun(std::unique_ptr<ProblemPolicy> policy, int budget, RunName name, const NumberedStream& stream)
    : owned_(std::move(policy)), policy_(owned_.get()), budget_(budget), name_(name), stream_(&stream) {
  check(policy_ != nullptr, [] { return std::string("no policy to run"); });
}

ProblemRun::ProblemRun(ProblemPolicy& policy, int budget, RunName name, const NumberedStream& stream)
    : policy_(&policy), budget_(budget), name_(name), stream_(&stream) {}

const Step& ProblemRun::start() {
  check(!started_, [] { return std::string("started twice"); });
  started_ = true;
  return ask();
}

void ProblemRun::observe(const DrawnSample& sample) {
  check(stream_ == nullptr, [] { return std::string("observe() on a run over existing samples (use take())"); });
  check(started_ && !stopped(), [] { return std::string("a sample was observed before start() or after the stop"); });
  check(observed_ < asked_, [&] {
    return "observed sample " + std::to_string(observed_ + 1) + " but the policy asked for " + std::to_string(asked_);
  });
  check(std::isfinite(sample.score) && sample.score >= 0.0 && sample.score <= 1.0,
        [&] { return "sample " + std::to_string(observed_) + ": score must be finite and in [0, 1], got " +
                     std::to_string(sample.score); });
  check(sample.tokens >= 0, [&] {
    return "sample " + std::to_string(observed_) + ": tokens must be >= 0, got " + std::to_string(sample.tokens);
  });
  if (!classes_) classes_.emplace(grouping_);
  std::optional<std::string> answer = sample.answer;
  if (!answer && sample.text) answer = answers::extract_answer(*sample.text);
  classes_->add(answer);
  Observation o;
  o.score = sample.score;
  o.tokens = sample.tokens;
  o.empty = sample.text && sample.text->empty();
  observations_.push_back(o);
  answers_.push_back(std::move(answer));
  tokens_ += sample.tokens;
  ++observed_;
}

const Step& ProblemRun::step() {
  check(started_, [] { return std::string("step() before start()"); });
  check(!stopped(), [] { return std::string("step() after the run stopped"); });
  check(observed_ == asked_, [&] {
    return "step() with " + std::to_string(asked_ - observed_) + " of the " + std::to_string(asked_) +
           " samples asked for not observed yet";
  });
  if (classes_) {
    // A new answer can merge earlier classes: relabel every observation.
    const std::vector<int>& labels = classes_->classes();
    for (std::size_t i = 0; i < observations_.size(); ++i) observations_[i].answer_class = labels[i];
  }
  return ask();
}

const Step& ProblemRun::feed(std::span<const DrawnSample> samples) {
  for (const DrawnSample& sample : samples) observe(sample);
  return step();
}

const Step& ProblemRun::take() {
  check(stream_ != nullptr, [] { return std::string("take() on a live run (use observe())"); });
  check(started_ && !stopped(), [] { return std::string("take() before start() or after the stop"); });
  const auto drawn = stream_->prefix(static_cast<std::size_t>(asked_));
  for (std::size_t i = static_cast<std::size_t>(observed_); i < drawn.size(); ++i) tokens_ += drawn[i].tokens;
  observed_ = asked_;
  return step();
}

const Step& ProblemRun::ask() {
  last_ = policy_->next(observations());
  check(last_.draw >= 0, [] { return std::string("policy asked for a negative number of samples"); });
  if (last_.draw == 0) {
    check(!last_.reason.empty(), [] { return std::string("policy stopped without a reason"); });
    return last_;
  }
  const long long wanted = static_cast<long long>(asked_) + last_.draw;
  check(wanted <= budget_, [&] {
    return "policy asked for " + std::to_string(wanted) + " samples in all, over its budget of " +
           std::to_string(budget_);
  });
  if (stream_ != nullptr)
    check(wanted <= static_cast<long long>(stream_->size()), [&] {
      return "policy asked for " + std::to_string(wanted) + " samples but only " + std::to_string(stream_->size()) +
             " are available";
    });
  asked_ = static_cast<int>(wanted);
  ++rounds_;
  return last_;
}

void ProblemRun::stop(std::string reason) {
  check(started_, [] { return std::string("stop() before start()"); });
  check(!reason.empty(), [] { return std::string("the runner stopped without a reason"); });
  if (asked_ > observed_) {  // the draws asked for are not made: that round never happened
    asked_ = observed_;
    --rounds_;
  }
  last_ = Step::stop(std::move(reason));
}

RunResult ProblemRun::finish() {
  check(stopped(), [] { return std::string("finish() before the run stopped"); });
  check(!finished_, [] { return std::string("finished twice"); });
  finished_ = true;
  RunResult result;
  result.consumed = observed_;
  result.reason = last_.reason;
  result.tokens = tokens_;
  result.rounds = rounds_;
  const auto seen = observations();
  result.selected = seen.empty() ? -1 : policy_->select(seen);
  check(result.selected >= -1 && result.selected < result.consumed, [&] {
    return "policy selected sample " + std::to_string(result.selected) + " of " + std::to_string(result.consumed) +
           " consumed";
  });
  return result;
}

std::span<const Observation> ProblemRun::observations() const {
  if (stream_ != nullptr) return stream_->prefix(static_cast<std::size_t>(observed_));
  return observations_;
}

const std::optional<std::string>& ProblemRun::answer(std::size_t i) const {
  static const std::optional<std::string> none;
  return i < answers_.size() ? answers_[i] : none;
}

}  // namespace optscale::policy
