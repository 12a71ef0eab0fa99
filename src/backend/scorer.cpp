#include "optscale/backend/scorer.hpp"

#include "optscale/backend/api_key.hpp"
#include "optscale/backend/openai_response.hpp"
#include "optscale/backend/pooling_response.hpp"
#include "optscale/backend/prompt_template.hpp"
#include "optscale/util/error.hpp"

namespace optscale::backend {

using nlohmann::json;

ScorerKind parse_scorer_kind(std::string_view name) {
  if (name == "pooling") return ScorerKind::pooling;
  if (name == "classify") return ScorerKind::classify;
  if (name == "judge") return ScorerKind::judge;
  throw Error("--scorer-kind '" + std::string(name) + "': expected pooling, classify or judge");
}

void ScorerConfig::validate() const {
  if (endpoints.empty()) throw Error("scorer: no endpoint (--scorer URL)");
  if (model.empty()) throw Error("scorer: no model name (--scorer-model)");
  if (batch_size < 1) throw Error("scorer: --scorer-batch must be at least 1");
  if (positive_index < 0) throw Error("scorer: --positive-class must be >= 0");
  if (format.step_tag.empty()) throw Error("scorer: --step-tag is empty");
  if (!extra_body.is_object()) throw Error("scorer: --scorer-extra-body must be a JSON object");
  if (judge.top_logprobs < 1) throw Error("scorer: --judge-top-logprobs must be at least 1");
  if (timeout.count() <= 0) throw Error("scorer: --request-timeout must be positive");
  retry.validate();
}

namespace {

// What every scorer shares: endpoints, headers, retries.
class HttpScorer : public Scorer {
 public:
  HttpScorer(ScorerConfig config, std::string path, std::initializer_list<std::string_view> suffixes)
      : config_(std::move(config)), path_(std::move(path)) {
    config_.validate();
    std::vector<std::string> bases;
    for (const std::string& url : config_.endpoints) bases.push_back(normalise_base_url(url, suffixes));
    balancer_ = std::make_unique<Balancer>(std::move(bases), config_.endpoint_concurrency);
    options_.bearer_token = config_.api_key;
    options_.timeout_s = std::chrono::duration<double>(config_.timeout).count();
  }

 protected:
  // POSTs `body` with retries and returns parse(answer).
  template <typename Parse>
  auto post(const std::string& body, const RequestContext& context, std::string_view what, Parse parse) {
    HttpRequestOptions options = options_;
    options.cancel = context.cancel;
    decltype(parse(std::string())) result{};
    run_with_retries(*balancer_, config_.retry, context, what, [&](const std::string& base) -> long {
      long status = 0;
      std::string answer = post_json_checked(base + path_, body, options, &status);
      result = parse(answer);
      return status;
    });
    return result;
  }

  json base_body() const {
    json body = json::object();
    body["model"] = config_.model;
    for (const auto& [key, value] : config_.extra_body.items()) body[key] = value;
    return body;
  }

  ScorerConfig config_;
  std::string path_;
  std::unique_ptr<Balancer> balancer_;
  HttpRequestOptions options_;
};

json input_field(std::vector<std::string> inputs) {
  if (inputs.size() == 1) return inputs.front();
  return inputs;
}

class PoolingScorer final : public HttpScorer {
 public:
  explicit PoolingScorer(ScorerConfig config) : HttpScorer(std::move(config), "/pooling", {"/pooling"}) {}
  int batch_size() const override { return config_.batch_size; }

  std::string request_body(std::string_view problem, std::span<const std::string> responses) const override {
    std::vector<std::string> inputs;
    for (const std::string& r : responses) inputs.push_back(render_prm_input(problem, r, config_.format));
    json body = base_body();
    body["input"] = input_field(std::move(inputs));
    if (!config_.pooling_task.empty()) body["task"] = config_.pooling_task;
    return body.dump();
  }

  std::vector<ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                  const RequestContext& context) override {
    std::vector<std::size_t> steps;
    for (const std::string& r : responses) steps.push_back(count_steps(r, config_.format));
    return post(request_body(problem, responses), context, "/pooling", [&](const std::string& answer) {
      auto rewards = parse_pooling_response(answer, steps, config_.positive_index);
      std::vector<ScoredSample> scored;
      for (auto& r : rewards) {
        double s = aggregate_steps(r, config_.aggregation);
        scored.push_back(ScoredSample{s, std::move(r)});
      }
      return scored;
    });
  }
};

class ClassifyScorer final : public HttpScorer {
 public:
  explicit ClassifyScorer(ScorerConfig config) : HttpScorer(std::move(config), "/classify", {"/classify"}) {}
  int batch_size() const override { return config_.batch_size; }

  std::string request_body(std::string_view problem, std::span<const std::string> responses) const override {
    std::vector<std::string> inputs;
    for (const std::string& r : responses)
      inputs.push_back(render_template(config_.format.chat_template,
                                       {{"system", config_.format.system},
                                        {"problem", std::string(problem)},
                                        {"response", r}}));
    json body = base_body();
    body["input"] = input_field(std::move(inputs));
    return body.dump();
  }

  std::vector<ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                  const RequestContext& context) override {
    return post(request_body(problem, responses), context, "/classify", [&](const std::string& answer) {
      std::vector<ScoredSample> scored;
      for (double s : parse_classify_response(answer, responses.size(), config_.positive_index))
        scored.push_back(ScoredSample{s, {}});
      return scored;
    });
  }
};

class JudgeScorer final : public HttpScorer {
 public:
  explicit JudgeScorer(ScorerConfig config)
      : HttpScorer(std::move(config), "/chat/completions", {"/chat/completions"}) {}
  int batch_size() const override { return 1; }

  std::string request_body(std::string_view problem, std::span<const std::string> responses) const override {
    if (responses.size() != 1) throw Error("judge: one response per request");
    json messages = json::array();
    if (!config_.judge.system.empty()) messages.push_back({{"role", "system"}, {"content", config_.judge.system}});
    messages.push_back({{"role", "user"},
                        {"content", render_template(config_.judge.prompt, {{"problem", std::string(problem)},
                                                                           {"response", responses[0]}})}});
    json body = base_body();
    body["messages"] = std::move(messages);
    body["max_tokens"] = 1;
    body["temperature"] = 0.0;
    body["logprobs"] = true;
    body["top_logprobs"] = config_.judge.top_logprobs;
    return body.dump();
  }

  std::vector<ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                  const RequestContext& context) override {
    std::vector<ScoredSample> scored;
    for (std::size_t i = 0; i < responses.size(); ++i) {
      double s = post(request_body(problem, responses.subspan(i, 1)), context, "judge",
                      [&](const std::string& answer) {
                        return parse_judge_response(answer, config_.judge.yes, config_.judge.no);
                      });
      scored.push_back(ScoredSample{s, {}});
    }
    return scored;
  }
};

}  // namespace

std::unique_ptr<Scorer> make_scorer(ScorerConfig config) {
  switch (config.kind) {
    case ScorerKind::pooling: return std::make_unique<PoolingScorer>(std::move(config));
    case ScorerKind::classify: return std::make_unique<ClassifyScorer>(std::move(config));
    case ScorerKind::judge: return std::make_unique<JudgeScorer>(std::move(config));
  }
  throw Error("unknown scorer kind");
}

}  // namespace optscale::backend
