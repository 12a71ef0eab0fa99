// optscale mock-server: an OpenAI-compatible generation server, vLLM /pooling
// and /classify scorer and /v1/embeddings endpoint answering from a pool, with
// seeded faults, for testing and benchmarking `optscale run` (docs/engine.md).
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <pthread.h>

#include "command.hpp"
#include "optscale/backend/api_key.hpp"
#include "optscale/backend/prompt_template.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/mock/mock_personality.hpp"
#include "optscale/mock/mock_server.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

struct MockFlags {
  std::string pool;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  int threads = 256;
  int keep_alive_timeout = 1;
  std::string model;
  long long seed_base = 0;
  int max_choices = 0;
  bool ignore_n = false;
  bool reject_n = false;
  bool no_choice_tokens = false;
  std::string step_separator = "\\n\\n";
  std::string step_tag = "<extra_0>";
  int embedding_dimensions = 64;
  std::string api_key_file;
  unsigned long long fault_seed = 0;
  std::string latency = "0";
  double stream_delay_ms = 0;
  bool hold = false;
  double error_rate = 0, hang_rate = 0, hang_ms = 60000, malformed_rate = 0, drop_rate = 0;
  double burst_rate = 0, retry_after = 1;
  int burst_length = 5;
  std::string personality;
  long long max_model_len = 0;
  int slots = 0;
  bool judge_thinks = false;
  bool one_logit_head = false;
  std::vector<std::string> fail_samples;
};

int run_mock_server(const MockFlags& f) {
  mock::MockOptions service;
  service.model = f.model;
  service.seed_base = f.seed_base;
  service.max_choices = f.ignore_n ? 1 : f.max_choices;
  service.reject_n = f.reject_n;
  service.choice_tokens = !f.no_choice_tokens;
  service.step_separator = backend::decode_escapes(f.step_separator);
  service.step_tag = f.step_tag;
  service.embedding_dimensions = f.embedding_dimensions;
  if (service.step_tag.empty()) throw Error("--step-tag is empty");
  if (service.embedding_dimensions < 1) throw Error("--embedding-dimensions must be at least 1");
  if (f.max_choices < 0) throw Error("--max-choices must be >= 0");
  if (f.max_model_len < 0) throw Error("--max-model-len must be >= 0");
  if (f.slots < 0) throw Error("--slots must be >= 0");
  service.max_model_len = f.max_model_len;
  service.slots = f.slots;
  service.judge_thinks = f.judge_thinks;
  for (const std::string& spec : f.fail_samples) {
    const auto colon = spec.rfind(':');
    long long k = -1;
    try {
      if (colon != std::string::npos && colon > 0) k = std::stoll(spec.substr(colon + 1));
    } catch (const std::exception&) {
      k = -1;
    }
    if (k < 0) throw Error("--fail-sample '" + spec + "': expected PROBLEM_ID:SAMPLE_INDEX");
    service.failing_samples.emplace_back(spec.substr(0, colon), k);
  }
  if (!f.personality.empty()) {
    try {
      mock::apply_mock_personality(f.personality, service);
    } catch (const std::invalid_argument& e) {
      throw Error(e.what());
    }
  }
  // SGLang's personality has a one-logit head already (softmax: [1.0]).
  if (f.one_logit_head && !service.classify_one_logit) service.classify_sigmoid = true;

  mock::MockServerOptions options;
  options.host = f.host;
  options.port = f.port;
  options.threads = f.threads;
  options.stream_delay_ms = f.stream_delay_ms;
  options.hold = f.hold;
  options.keep_alive_timeout_s = f.keep_alive_timeout;
  if (!f.api_key_file.empty()) options.api_key = backend::load_api_key(f.api_key_file, "");
  options.faults.seed = f.fault_seed;
  options.faults.latency = mock::LatencyModel::parse(f.latency);
  options.faults.error_rate = f.error_rate;
  options.faults.hang_rate = f.hang_rate;
  options.faults.hang_ms = f.hang_ms;
  options.faults.malformed_rate = f.malformed_rate;
  options.faults.drop_rate = f.drop_rate;
  options.faults.burst_rate = f.burst_rate;
  options.faults.burst_length = f.burst_length;
  options.faults.retry_after_s = f.retry_after;
  options.faults.validate();

  const pool::Pool pool = pool::read_pool(f.pool);
  std::size_t samples = 0;
  for (const auto& p : pool.problems) samples += p.samples.size();

  // Signals are taken by sigwait below, not by the server's threads.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  mock::MockServer mock(pool, service, options);
  for (const std::string& warning : mock.service().index().warnings())
    std::cerr << "optscale mock-server: warning: " << warning << "\n";
  const int port = mock.start();
  if (!f.port_file.empty()) {
    std::ofstream out(f.port_file + ".tmp");
    out << port << "\n";
    out.close();
    std::rename((f.port_file + ".tmp").c_str(), f.port_file.c_str());
  }
  std::cout << "optscale mock-server: listening on http://" << f.host << ":" << port << " ("
            << pool.problems.size() << " problems, " << samples << " samples; generators use http://"
            << f.host << ":" << port << "/v1, scorers http://" << f.host << ":" << port << ")" << std::endl;
  int received = 0;
  sigwait(&stop_signals, &received);
  mock.stop();
  mock.wait();
  return 0;
}

const CommandRegistration registration{
    "mock-server",
    "Serve a pool over the OpenAI (generation, /v1/embeddings), vLLM /pooling and /classify APIs, "
    "with seeded faults (for tests and benchmarks)",
    [](CLI::App& sub) {
      auto f = std::make_shared<MockFlags>();
      add_flag_option(sub, "--pool", f->pool, "Pool file (JSONL) whose samples and scores are served")->required();
      add_flag_option(sub, "--host", f->host, "Address to bind (default 127.0.0.1)");
      add_flag_option(sub, "--port", f->port, "Port; 0 picks a free one and prints it (default 0)");
      add_flag_option(sub, "--port-file", f->port_file, "Also write the bound port to this file");
      add_flag_option(sub, "--threads", f->threads, "Connections served at once (default 256)");
      add_flag_option(sub, "--keep-alive-timeout", f->keep_alive_timeout,
                      "Seconds an idle keep-alive connection is kept; shutdown waits for it (0: one request per connection; default 1)");
      add_flag_option(sub, "--model", f->model, "Only accept this model name (default: any)");
      add_flag_option(sub, "--seed-base", f->seed_base,
                      "Seed of each problem's first sample: the seed given to `optscale run --seed` (default 0)");
      add_flag_option(sub, "--max-choices", f->max_choices,
                      "Silently return at most this many choices per request (0: as asked)");
      sub.add_flag("--ignore-n", f->ignore_n, "Return one choice whatever n asks (like servers that drop n)")
          ->envname(env_name("--ignore-n"));
      sub.add_flag("--reject-n", f->reject_n, "Answer 400 to n > 1 (like servers without n)")
          ->envname(env_name("--reject-n"));
      sub.add_flag("--no-choice-tokens", f->no_choice_tokens,
                   "Report token counts only in usage (and token_ids when asked), not per choice")
          ->envname(env_name("--no-choice-tokens"));
      add_flag_option(sub, "--step-separator", f->step_separator, "PRM step separator (escapes allowed; default \\n\\n)");
      add_flag_option(sub, "--step-tag", f->step_tag, "PRM step tag (default <extra_0>)");
      add_flag_option(sub, "--embedding-dimensions", f->embedding_dimensions, "Embedding size (default 64)");
      add_flag_option(sub, "--api-key-file", f->api_key_file, "Require this bearer key (read from the file)");
      add_flag_option(sub, "--fault-seed", f->fault_seed, "Seed of every fault decision (default 0)");
      add_flag_option(sub, "--latency", f->latency,
                      "Latency: 0, fixed:MS, uniform:LO,HI, exponential:MEAN, lognormal:MEDIAN,SIGMA");
      add_flag_option(sub, "--stream-delay", f->stream_delay_ms,
                      "Pause in ms before each event of a streamed answer (default 0: the stream at once)");
      sub.add_flag("--hold", f->hold,
                   "Hold generation requests until POST /mock/release (for tests; GET /metrics counts them)");
      add_flag_option(sub, "--error-rate", f->error_rate, "Share of requests answered 500/502/503");
      add_flag_option(sub, "--hang-rate", f->hang_rate, "Share of requests held for --hang-ms");
      add_flag_option(sub, "--hang-ms", f->hang_ms, "How long a hung request is held (default 60000)");
      add_flag_option(sub, "--malformed-rate", f->malformed_rate, "Share answered 200 with a garbled body");
      add_flag_option(sub, "--drop-rate", f->drop_rate, "Share whose connection is dropped mid-body");
      add_flag_option(sub, "--burst-rate", f->burst_rate, "Chance per request to start a burst of 429s");
      add_flag_option(sub, "--burst-length", f->burst_length, "Requests answered 429 per burst (default 5)");
      add_flag_option(sub, "--retry-after", f->retry_after, "Retry-After seconds on 429s (default 1)");
      add_flag_option(sub, "--personality", f->personality,
                      "Behave as a real server does (docs/engine.md): vllm, llama.cpp, sglang or ollama");
      add_flag_option(sub, "--max-model-len", f->max_model_len,
                      "Refuse scoring inputs longer than this many tokens with vLLM's 400 (vllm: 4096)");
      add_flag_option(sub, "--slots", f->slots, "Answer n above this with llama.cpp's 500 (llama.cpp: 4)");
      sub.add_flag("--judge-thinks", f->judge_thinks,
                   "Judge replies open with <think>: no verdict word among the first token's top logprobs")
          ->envname(env_name("--judge-thinks"));
      sub.add_flag("--one-logit-head", f->one_logit_head,
                   "The reward model has one logit: /classify answers probs [sigmoid(logit)], as vLLM does "
                   "(the sglang personality has one already, softmaxed to [1.0])")
          ->envname(env_name("--one-logit-head"));
      add_flag_option(sub, "--fail-sample", f->fail_samples,
                      "PROBLEM_ID:K: generations of that sample get 500 (llama.cpp on invalid UTF-8; repeatable)");
      return [f] { return run_mock_server(*f); };
    }};

}  // namespace
}  // namespace optscale::cli
