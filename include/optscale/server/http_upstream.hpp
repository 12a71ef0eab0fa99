// The proxy's Upstream over HTTP: pass-through chat requests and the model
// list go to the generator's endpoints (the same balancer the generator uses,
// so replicas' load and health are shared); health probes ask a generator
// for GET /models and a scorer for GET /health (pooling, classify: the server
// root) or GET /models (judge: an OpenAI base).
#pragma once
#include <string>
#include <vector>

#include "optscale/backend/balancer.hpp"
#include "optscale/backend/scorer.hpp"
#include "optscale/server/upstream.hpp"

namespace optscale::server {

struct HttpUpstreamOptions {
  std::string upstream_api_key;          // sent to the generator; never logged
  std::vector<std::string> scorers;      // scorer base URLs as configured
  backend::ScorerKind scorer_kind = backend::ScorerKind::pooling;
  std::string scorer_api_key;
};

class HttpUpstream final : public Upstream {
 public:
  // `generators` (the generator's balancer, base URLs normalised) must
  // outlive this object.
  HttpUpstream(backend::Balancer& generators, HttpUpstreamOptions options);

  // One request to a generator endpoint; connection failures move on to the
  // next endpoint (each tried at most once), answers of any status return.
  UpstreamReply relay(const RelayRequest& request) override;
  HealthReport health(std::chrono::milliseconds timeout) override;

  // The URL health() probes for a scorer configured as `url`: GET /models of
  // a judge's OpenAI base; GET /health at the server root for pooling and
  // classify scorers, also when given with /v1 (SGLang, vLLM serve /health
  // at the root only).
  static std::string scorer_probe_url(const std::string& url, backend::ScorerKind kind);

 private:

  backend::Balancer& generators_;
  HttpUpstreamOptions options_;
  std::vector<std::string> scorer_probes_;  // full URLs probed by health()
};

}  // namespace optscale::server
