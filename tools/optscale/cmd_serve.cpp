// optscale serve: an OpenAI-compatible proxy answering chat requests with
// compute-optimal Best-of-N (docs/serve.md). The generator and scorer flags
// are `optscale run`'s (backend_flags.hpp); the endpoint flag is --upstream,
// and --api-key-file is the key clients must send.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include "backend_flags.hpp"
#include "command.hpp"
#include "optscale/backend/api_key.hpp"
#include "optscale/server/engine_answerer.hpp"
#include "optscale/server/http_upstream.hpp"
#include "optscale/server/policy_resolver.hpp"
#include "optscale/server/proxy_server.hpp"
#include "optscale/server/proxy_service.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

struct ServeFlags {
  GeneratorFlags generator;
  ScorerFlags scorer;
  RetryFlags retry{3, 0.25, 30};
  std::string policy = "optscale-seq:n=16,batch=4";
  int max_budget = 64;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string port_file;
  std::string api_key_file;
  int max_concurrent = 64;
  double request_timeout = 300;
  long long max_body_bytes = 4 << 20;
  bool metrics = false;
  double shutdown_grace = 30;
  int upstream_in_flight = 64;
  std::string answer_grouping = "equivalent";
  int threads = 0;
  long long seed = 0;
  int verbose = 0;
};

const GeneratorFlagNames kServeGeneratorNames{"--upstream", "--upstream-api-key-file", "OPTSCALE_UPSTREAM_API_KEY",
                                              /*prompt_flags=*/false,
                                              " (a default: the request's own field wins)"};

std::chrono::milliseconds milliseconds_of(double seconds, const char* flag) {
  if (!(seconds > 0) || seconds > 1e7) throw Error(std::string(flag) + " must be a positive number of seconds");
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

int serve(const ServeFlags& f) {
  // SIGINT and SIGTERM are taken by sigtimedwait below, not by any of the
  // threads started from here on (they inherit this mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const auto request_timeout = milliseconds_of(f.request_timeout, "--request-timeout");
  if (!(f.shutdown_grace >= 0) || f.shutdown_grace > 1e7) throw Error("--shutdown-grace must be >= 0 seconds");
  const auto grace = std::chrono::milliseconds(static_cast<long long>(f.shutdown_grace * 1000.0));
  if (f.max_body_bytes < 1) throw Error("--max-body-bytes must be at least 1");
  if (f.verbose < 0 || f.verbose > 2) throw Error("--verbose must be 0, 1 or 2");

  server::RequestPriors priors;  // predictor models named by policies (optscalet:...,predictor=default)
  const server::PolicyResolver policies(f.policy, f.max_budget, &priors);
  const backend::RetryPolicy retry = make_retry_policy(f.retry);
  // One attempt may take the whole request deadline; the deadline cancels it.
  const backend::GeneratorConfig g = make_generator_config(f.generator, kServeGeneratorNames, retry, request_timeout);
  if (g.api != backend::GenerationApi::chat) throw Error("serve: the upstream must be a chat API");
  const backend::ScorerConfig s = make_scorer_config(f.scorer, g, retry, request_timeout);

  server::RequestLog log(f.verbose);
  backend::Generator generator(g, [&log](const std::string& line) { log.write(0, "warning: " + line); });
  const std::unique_ptr<backend::Scorer> scorer = backend::make_scorer(s);

  server::EngineAnswererOptions answering;
  answering.upstream_in_flight = f.upstream_in_flight;
  answering.answer_grouping = answers::parse_answer_grouping(f.answer_grouping);
  server::EngineAnswerer answerer(generator, *scorer, answering, &priors);

  server::HttpUpstreamOptions upstream_options;
  upstream_options.upstream_api_key = g.api_key;
  upstream_options.scorers = s.endpoints;
  upstream_options.scorer_kind = s.kind;
  upstream_options.scorer_api_key = s.api_key;
  server::HttpUpstream upstream(generator.balancer(), upstream_options);

  server::ProxyOptions options;
  options.api_key = backend::load_api_key(
      f.api_key_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(f.api_key_file), "OPTSCALE_API_KEY");
  options.max_concurrent = f.max_concurrent;
  options.request_timeout = request_timeout;
  options.max_body_bytes = static_cast<std::size_t>(f.max_body_bytes);
  options.metrics = f.metrics;
  options.seed = f.seed;
  server::ProxyService service(
      options, answerer, upstream,
      [&policies](const server::RequestOverrides& overrides) { return policies.resolve(overrides); }, log);

  server::HttpOptions http;
  http.host = f.host;
  http.port = f.port;
  http.threads = f.threads;
  server::ProxyServer proxy(service, http);
  const int port = proxy.start();
  if (!f.port_file.empty()) {
    {
      std::ofstream out(f.port_file + ".tmp");
      out << port << "\n";
    }
    std::rename((f.port_file + ".tmp").c_str(), f.port_file.c_str());
  }
  std::cout << "optscale serve: listening on http://" << f.host << ":" << port << " (policy "
            << policies.default_strategy().spec() << (options.api_key.empty() ? ", no API key" : ", API key required")
            << ")" << std::endl;

  // Wait for a stop signal, or for the server to stop on its own.
  int received = 0;
  while (!proxy.stopped()) {
    const timespec tick{0, 200'000'000};
    received = sigtimedwait(&stop_signals, nullptr, &tick);
    if (received > 0) break;
  }
  if (received > 0) {
    // New requests are refused before this line is written, so a reader of
    // the log (the shutdown tests) knows the server is draining when it sees it.
    service.stop_accepting();
    log.write(0, std::string("received ") + (received == SIGTERM ? "SIGTERM" : "SIGINT") + "; draining: finishing " +
                     std::to_string(service.in_flight()) + " request(s) in flight, refusing new ones");
  } else {
    log.write(0, "the HTTP server stopped");
  }
  const bool clean = proxy.shutdown(grace);
  log.write(0, clean ? "stopped" : "stopped with requests still running");
  return received > 0 && clean ? 0 : 1;
}

const CommandRegistration registration{
    "serve",
    "OpenAI-compatible proxy answering chat requests with compute-optimal Best-of-N",
    [](CLI::App& sub) {
      auto f = std::make_shared<ServeFlags>();
      add_generator_flags(sub, f->generator, kServeGeneratorNames);
      add_scorer_flags(sub, f->scorer);
      add_flag_option(sub, "--policy", f->policy,
                      "Default strategy spec, as for `optscale eval` (default optscale-seq:n=16,batch=4)");
      add_flag_option(sub, "--max-budget", f->max_budget, "Largest budget n a policy or override may have (default 64)");
      add_flag_option(sub, "--host", f->host, "Address to bind (default 127.0.0.1)");
      add_flag_option(sub, "--port", f->port, "Port (default 8080; 0 picks a free one, printed on stdout)");
      add_flag_option(sub, "--port-file", f->port_file, "Also write the bound port to this file");
      add_flag_option(sub, "--api-key-file", f->api_key_file,
                      "Key clients must send as a bearer token (else $OPTSCALE_API_KEY; neither: no key)");
      add_flag_option(sub, "--max-concurrent", f->max_concurrent,
                      "Chat requests served at once; more get 429 (default 64)");
      add_flag_option(sub, "--request-timeout", f->request_timeout,
                      "Seconds a request may take before its upstream work is cancelled, 504 (default 300)");
      add_flag_option(sub, "--max-body-bytes", f->max_body_bytes, "Larger request bodies get 413 (default 4 MiB)");
      sub.add_flag("--metrics", f->metrics, "Serve Prometheus metrics at GET /metrics")->envname(env_name("--metrics"));
      add_flag_option(sub, "--shutdown-grace", f->shutdown_grace,
                      "On SIGTERM/SIGINT, seconds in-flight requests may still take (default 30)");
      add_flag_option(sub, "--upstream-in-flight", f->upstream_in_flight,
                      "Generation + scoring requests at once over all client requests (default 64)");
      add_retry_flags(sub, f->retry);
      add_flag_option(sub, "--answer-grouping", f->answer_grouping, "Voting classes: equivalent (default) or raw");
      add_flag_option(sub, "--threads", f->threads,
                      "HTTP connections served at once (0: max(64, 4 x --max-concurrent))");
      add_flag_option(sub, "--seed", f->seed, "Seeds requests that bring none (request k: derived from seed, k)");
      add_flag_option(sub, "--verbose", f->verbose,
                      "0: start, stop, failures (default); 1: a line per request; 2: also request bodies");
      return [f] { return serve(*f); };
    }};

}  // namespace
}  // namespace optscale::cli
