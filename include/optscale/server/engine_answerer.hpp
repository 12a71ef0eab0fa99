// The proxy's Answerer over the live engine's backends: for one chat request,
// run the request's policy (the same objects `optscale eval` and `optscale
// run` use), draw the samples it asks for from the generator (sample k with
// seed + k; several per request with `n` where the upstream honours it, else
// one request per sample, in parallel), score them with the scorer, feed the
// observations back in draw order, and stop when the policy says so.
//
// A round's requests run in parallel: the last on the client request's own
// thread, the others on one pool of `upstream_in_flight` threads shared by all
// client requests (each runs a generation, then the scoring of what it drew),
// earlier client requests first. A cancelled request (deadline,
// shutdown) stops its transfers and throws AnswerCancelled.
#pragma once
#include <atomic>

#include "optscale/backend/generator.hpp"
#include "optscale/backend/scorer.hpp"
#include "optscale/answers/answer_classes.hpp"
#include "optscale/engine/worker_pool.hpp"
#include "optscale/server/answerer.hpp"
#include "optscale/server/request_priors.hpp"

namespace optscale::server {

struct EngineAnswererOptions {
  int upstream_in_flight = 64;  // shared workers: extra generation + scoring tasks at once, over all requests
  answers::AnswerGrouping answer_grouping = answers::AnswerGrouping::equivalent;
  void validate() const;        // throws optscale::Error naming the flag
};

class EngineAnswerer final : public Answerer {
 public:
  // The generator, scorer and priors must outlive the answerer. `priors`
  // gives the prior of requests whose policy names a predictor (null: such
  // policies are refused).
  EngineAnswerer(backend::Generator& generator, backend::Scorer& scorer, EngineAnswererOptions options,
                 RequestPriors* priors = nullptr);

  AnswerResult answer(const AnswerRequest& request) override;

 private:
  backend::Generator& generator_;
  backend::Scorer& scorer_;
  EngineAnswererOptions options_;
  RequestPriors* priors_;
  engine::WorkerPool workers_;
  std::atomic<long long> requests_{0};  // orders client requests in the worker pool
};

}  // namespace optscale::server
