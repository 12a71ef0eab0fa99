// What the proxy needs from the live engine, as one small interface: draw
// samples for one chat request under one policy, score them, and stop when the
// policy says so. The HTTP side is built and tested against this interface;
// engine_answerer.hpp implements it with the real generator and scorer.
#pragma once
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "optscale/policy/policy.hpp"
#include "optscale/util/error.hpp"

namespace optscale::server {

struct AnswerRequest {
  // The client's chat body less the fields the proxy owns (n, stream,
  // stream_options, optscale): messages, model and sampling parameters.
  nlohmann::json chat_body;
  std::string model;                         // "" = the answerer's default
  std::string problem;                       // what the verifier judges answers to
  const policy::Strategy* strategy = nullptr;  // this request's policy, never null
  long long seed = 0;                        // sample k is drawn with seed + k
  // Becomes true when the request's deadline passes, its client hangs up or
  // the server shuts down; the answerer then stops and throws AnswerCancelled.
  const std::atomic<bool>* cancel = nullptr;
  // Called for every failed upstream or scorer attempt, retried or not, with
  // a short failure kind ("connect", "timeout", "rate_limited", ...).
  std::function<void(std::string_view kind)> on_upstream_error;
  // Called with the number of samples that failed alone in a round (as they
  // are tallied, so a request that fails in the end still counts them).
  std::function<void(int failed)> on_failed_samples;
  // Called with completion tokens generated but dropped by an upstream answer.
  std::function<void(long long tokens)> on_wasted_tokens;
  // Called with the number of unreadable judge replies of a scoring request.
  std::function<void(int replies)> on_unreadable_judgements;
};

struct AnsweredSample {
  std::string text;
  double score = 0.0;            // verifier score in [0, 1]
  long long tokens = 0;          // completion tokens of this sample
  std::string finish_reason;     // the upstream's ("stop", "length", ...)
  std::string failure;           // non-empty: refused alone (generation or scoring); not in `samples`
  bool failed_scoring = false;   // the failure was the scorer's (else the generator's)
};

struct AnswerResult {
  std::vector<AnsweredSample> samples;  // every sample drawn, in draw order
  int selected = -1;                    // the policy's choice; -1: it selected none
  std::string stop_reason;              // the policy's reason for stopping
  long long prompt_tokens = 0;          // prompt tokens the upstream reported (0: unknown)
  std::string model;                    // the model that answered ("" = unknown)
  // Samples the upstream or the scorer refused for their own sake (a 4xx on
  // that input, a 5xx that persisted, an unreadable judge reply): left out of
  // `samples` and of the policy's observations, as `optscale run` does.
  int failed_samples = 0;
  std::string last_failure;             // the last one's reason
  bool last_failure_scoring = false;    // ... and whether the scorer gave it
};

// The upstream generator or the scorer failed for good (after retries).
// what() is the full story for the proxy's log (endpoints included); what a
// client may see is the kind, the side, the status and the server's own
// message, from which the proxy builds its answer (never an internal URL).
class UpstreamError : public Error {
 public:
  enum class Kind {
    unavailable,  // refused, reset, 5xx, garbled answers: 502
    timeout,      // no answer in time: 504
    rejected,     // the server refused the request itself (4xx); see status()
  };
  enum class Side { generator, scorer };
  UpstreamError(Kind kind, const std::string& message, Side side = Side::generator, long status = 0,
                std::string server_message = {})
      : Error(message), kind_(kind), side_(side), status_(status), server_message_(std::move(server_message)) {}
  Kind kind() const { return kind_; }
  Side side() const { return side_; }
  long status() const { return status_; }  // the last HTTP status; 0: none
  // The server's own error message (from its JSON error body), "" if none.
  const std::string& server_message() const { return server_message_; }

 private:
  Kind kind_;
  Side side_;
  long status_;
  std::string server_message_;
};

// The request was cancelled (deadline, client gone, shutdown) before an answer.
class AnswerCancelled : public Error {
 public:
  AnswerCancelled() : Error("answer cancelled") {}
};

class Answerer {
 public:
  virtual ~Answerer() = default;
  // Thread-safe: called concurrently for concurrent requests. Throws
  // UpstreamError, AnswerCancelled, or optscale::Error for anything else.
  virtual AnswerResult answer(const AnswerRequest& request) = 0;
};

}  // namespace optscale::server
