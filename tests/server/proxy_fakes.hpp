// Stand-ins for the engine and the upstream in the proxy's unit tests: an
// answerer that returns scripted samples (and can hold requests until told to
// go on), an upstream with scripted replies, and a strategy that is only a
// spec and a budget (the fake answerer does not run it).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/server/answerer.hpp"
#include "optscale/server/chat_request.hpp"
#include "optscale/server/upstream.hpp"
#include "optscale/util/error.hpp"

namespace optscale::testing {

class SpecOnlyStrategy final : public policy::Strategy {
 public:
  SpecOnlyStrategy(std::string spec, int budget) : spec_(std::move(spec)), budget_(budget) {}
  std::unique_ptr<policy::ProblemPolicy> start(const policy::ProblemInfo&) const override {
    throw Error("SpecOnlyStrategy cannot run");
  }
  std::string spec() const override { return spec_; }
  int budget() const override { return budget_; }

 private:
  std::string spec_;
  int budget_;
};

// Budget from the override when given, else 4; the spec names what was asked.
inline std::shared_ptr<const policy::Strategy> choose_fake_strategy(const server::RequestOverrides& o) {
  std::string spec = o.policy.value_or("fake");
  if (o.target) spec += ",target=" + std::to_string(*o.target);
  if (o.confidence) spec += ",confidence=" + std::to_string(*o.confidence);
  const int budget = o.budget.value_or(4);
  spec += ",n=" + std::to_string(budget);
  return std::make_shared<SpecOnlyStrategy>(spec, budget);
}

class ScriptedAnswerer final : public server::Answerer {
 public:
  server::AnswerResult result;
  std::function<void()> fail;            // when set, called instead of answering (to throw)
  std::vector<std::string> upstream_errors_to_report;

  server::AnswerResult answer(const server::AnswerRequest& request) override {
    {
      std::unique_lock lock(mutex_);
      // The strategy lives only for the call: keep what the tests look at.
      requests_.push_back(request);
      requests_.back().strategy = nullptr;
      budgets_.push_back(request.strategy->budget());
      ++waiting_;
      changed_.notify_all();
      // Held requests wait for release() or their cancel flag.
      while (hold_ && !(request.cancel && request.cancel->load()))
        changed_.wait_for(lock, std::chrono::milliseconds(5));
      --waiting_;
    }
    for (const auto& kind : upstream_errors_to_report) request.on_upstream_error(kind);
    if (request.cancel && request.cancel->load()) throw server::AnswerCancelled();
    if (fail) fail();
    return result;
  }

  void hold() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    hold_ = false;
    changed_.notify_all();
  }
  // Blocks until `count` requests are inside answer().
  void wait_for_waiting(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ >= count; });
  }
  // What answer() was called with (strategy set to null: see budgets()).
  std::vector<server::AnswerRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::vector<int> budgets() {
    std::lock_guard lock(mutex_);
    return budgets_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  int waiting_ = 0;
  std::vector<server::AnswerRequest> requests_;
  std::vector<int> budgets_;
};

// Answers GET /models with models_reply and anything else with chat_reply.
class ScriptedUpstream final : public server::Upstream {
 public:
  server::UpstreamReply chat_reply{200, R"({"object":"chat.completion","choices":[]})", "application/json"};
  server::UpstreamReply models_reply{200, R"({"object":"list","data":[{"id":"m","object":"model"}]})",
                                     "application/json"};
  server::HealthReport health_report{true, true, "", ""};
  std::function<void()> fail;  // called first by relay (to throw)
  std::vector<std::string> forwarded;           // bodies relayed, other than GET /models
  std::vector<server::RelayRequest> relayed;    // every request relayed
  // The body of chat_reply in these pieces when the caller takes it piece by
  // piece (RelayRequest::on_body); empty: chat_reply.body as one piece.
  std::vector<std::string> pieces;

  server::UpstreamReply relay(const server::RelayRequest& request) override {
    std::lock_guard lock(mutex_);
    if (fail) fail();
    relayed.push_back(request);
    relayed.back().cancel = nullptr;
    relayed.back().on_body = nullptr;
    if (request.method == "GET" && request.path == "/models") return models_reply;
    forwarded.push_back(request.body);
    if (!request.on_body) return chat_reply;
    server::UpstreamReply head = chat_reply;
    head.body.clear();
    const std::vector<std::string> parts = pieces.empty() ? std::vector<std::string>{chat_reply.body} : pieces;
    for (const std::string& part : parts)
      if (!part.empty() && !request.on_body(head, part)) throw server::AnswerCancelled();
    return head;
  }
  server::HealthReport health(std::chrono::milliseconds) override { return health_report; }

 private:
  std::mutex mutex_;
};

inline server::AnswerResult three_samples() {
  server::AnswerResult result;
  result.samples = {{"first answer", 0.4, 10, "stop"},
                    {"second answer, the best", 0.97, 20, "stop"},
                    {"third answer", 0.6, 30, "length"}};
  result.selected = 1;
  result.stop_reason = "target-reached";
  result.prompt_tokens = 7;
  result.model = "upstream-model";
  return result;
}

}  // namespace optscale::testing
