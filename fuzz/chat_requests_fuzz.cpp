// Client chat requests through the proxy's whole request path
// (server::ProxyService::handle, as `optscale serve` calls it): parsing,
// pass-through decisions, per-request policy overrides resolved by the real
// PolicyResolver into the real strategies, which then run over synthetic
// observations, and the answer built back (JSON or server-sent events) from
// samples whose text comes from the request. The first byte picks the
// X-OptScale header and the answer's shape; the rest is the body.
// Contract: handle() never throws; no 500 (an internal error); every answer
// body is JSON (an error answer in the OpenAI shape), every event a JSON
// object or [DONE].
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/policy/run.hpp"
#include "optscale/server/answerer.hpp"
#include "optscale/server/policy_resolver.hpp"
#include "optscale/server/proxy_service.hpp"
#include "optscale/server/request_log.hpp"
#include "optscale/server/upstream.hpp"

using namespace optscale;
using nlohmann::json;

namespace {

// Runs the request's strategy over synthetic scores; the samples carry the
// request's own problem text, so hostile text reaches the answer's JSON.
class PolicyAnswerer final : public server::Answerer {
 public:
  int shape = 0;
  server::AnswerResult answer(const server::AnswerRequest& request) override {
    const policy::Strategy& strategy = *request.strategy;
    const int budget = std::min(strategy.budget(), 64);
    std::vector<policy::Observation> observations;
    for (int i = 0; i < budget; ++i) {
      policy::Observation o;
      o.score = static_cast<double>((request.seed + 7 * i) % 101) / 100.0;
      o.tokens = 3 + i;
      o.answer_class = i % 3;
      observations.push_back(o);
    }
    policy::DirectFitProvider fits;
    const policy::ProblemInfo info{"request", request.problem, std::nullopt, std::nullopt, &fits, ""};
    server::AnswerResult result;
    if (strategy.budget() <= 64) {
      const policy::RunResult run = policy::run_policy(strategy, info, observations);
      for (int i = 0; i < run.consumed; ++i)
        result.samples.push_back({request.problem + " #" + std::to_string(i), observations[i].score,
                                  observations[i].tokens, i % 2 ? "stop" : "length"});
      result.selected = run.selected;
      result.stop_reason = run.reason;
    } else {
      result.samples.push_back({request.problem, 0.5, 1, "stop"});
      result.selected = shape % 2 ? 0 : -1;
      result.stop_reason = "budget";
    }
    result.prompt_tokens = shape % 3;
    result.model = request.model;
    return result;
  }
};

class FixedUpstream final : public server::Upstream {
 public:
  // Every relayed request (a chat request the proxy passes through, the
  // model list, any other path) gets a fixed, well-formed answer.
  server::UpstreamReply relay(const server::RelayRequest& request) override {
    server::UpstreamReply reply =
        request.path == "/models"
            ? server::UpstreamReply{200, R"({"object":"list","data":[{"id":"m","object":"model"}]})", "application/json"}
            : server::UpstreamReply{200, R"({"object":"chat.completion","choices":[]})", "application/json"};
    if (!request.on_body) return reply;
    // A live relay: the body goes to the sink in two pieces, as a server streams.
    const std::string body = std::move(reply.body);
    reply.body.clear();
    const std::size_t half = body.size() / 2;
    if (request.on_body(reply, std::string_view(body).substr(0, half)))
      request.on_body(reply, std::string_view(body).substr(half));
    return reply;
  }
  server::HealthReport health(std::chrono::milliseconds) override { return {true, true, "", ""}; }
};

struct Proxy {
  Proxy()
      : policies("optscale0:n=16,peek=4,target=0.9,confidence=0.9", 64),
        log(0, [](std::string_view) {}),
        service(server::ProxyOptions{}, answerer, upstream,
                [this](const server::RequestOverrides& o) { return policies.resolve(o); }, log) {}
  PolicyAnswerer answerer;
  FixedUpstream upstream;
  server::PolicyResolver policies;
  server::RequestLog log;
  server::ProxyService service;
};

bool is_json(std::string_view text) { return json::accept(text); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Proxy proxy;
  if (size == 0) return 0;
  const unsigned selector = data[0];
  static const char* headers[] = {"", "off", "on", "OFF ", "\x01"};
  proxy.answerer.shape = static_cast<int>(selector >> 3);
  server::ProxyRequest request{"POST", "/v1/chat/completions", std::string(fuzz::as_text(data + 1, size - 1)), "",
                               headers[selector % 5]};
  const server::ProxyReply reply = proxy.service.handle(request);
  const std::string head = request.body.substr(0, 200);
  FUZZ_CHECK(reply.status != 500, "internal error for " + head + " -> " + reply.body);
  if (reply.streaming) {
    for (const std::string& event : reply.events) {
      FUZZ_CHECK(event.rfind("data: ", 0) == 0 && event.size() >= 8 && event.substr(event.size() - 2) == "\n\n",
                 "event shape: " + event);
      const std::string_view payload = std::string_view(event).substr(6, event.size() - 8);
      FUZZ_CHECK(payload == "[DONE]" || is_json(payload), "event payload: " + event);
    }
  } else {
    FUZZ_CHECK(is_json(reply.body), "answer body: " + reply.body);
    if (reply.status >= 400) {
      const json body = json::parse(reply.body);
      FUZZ_CHECK(body.contains("error") && body["error"].contains("message"), "error shape: " + reply.body);
    }
  }
  return 0;
}
