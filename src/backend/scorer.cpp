#include "optscale/backend/scorer.hpp"

#include "optscale/backend/api_key.hpp"
#include "optscale/backend/openai_response.hpp"
#include "optscale/backend/pooling_response.hpp"
#include "optscale/backend/prompt_template.hpp"
#include "optscale/backend/token_counter.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::backend {

using nlohmann::json;

ScorerKind parse_scorer_kind(std::string_view name) {
  if (name == "pooling") return ScorerKind::pooling;
  if (name == "classify") return ScorerKind::classify;
  if (name == "judge") return ScorerKind::judge;
  throw Error("--scorer-kind '" + std::string(name) + "': expected pooling, classify or judge");
}

ClassifyActivation parse_classify_activation(std::string_view name) {
  if (name == "auto") return ClassifyActivation::automatic;
  if (name == "sigmoid") return ClassifyActivation::sigmoid;
  if (name == "softmax") return ClassifyActivation::softmax;
  if (name == "none") return ClassifyActivation::none;
  throw Error("--classify-activation '" + std::string(name) + "': expected auto, sigmoid, softmax or none");
}

void ScorerConfig::validate() const {
  if (max_input_tokens && *max_input_tokens < 1) throw Error("scorer: --scorer-max-input-tokens must be at least 1");
  if (judge.unreadable_score && !(*judge.unreadable_score >= 0.0 && *judge.unreadable_score <= 1.0))
    throw Error("scorer: --judge-unreadable must be 'fail' or a score in [0, 1]");
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

// What every scorer shares: endpoints, headers, retries, warnings.
class HttpScorer : public Scorer {
 public:
  HttpScorer(ScorerConfig config, std::string path, std::initializer_list<std::string_view> suffixes,
             std::function<void(const std::string&)> notice)
      : config_(std::move(config)), path_(std::move(path)), notice_(std::move(notice)) {
    config_.validate();
    std::vector<std::string> bases;
    for (const std::string& url : config_.endpoints) bases.push_back(normalise_base_url(url, suffixes));
    balancer_ = std::make_unique<Balancer>(std::move(bases), config_.endpoint_concurrency);
    options_.bearer_token = config_.api_key;
    options_.timeout_s = std::chrono::duration<double>(config_.timeout).count();
    counter_ = std::make_unique<TokenCounter>(*balancer_, config_.retry, options_, config_.model, notice_);
  }

 protected:
  // POSTs `body` with retries and returns parse(answer).
  template <typename Parse>
  auto post(const std::string& body, const RequestContext& context, std::string_view what, Parse parse,
            int inputs = 1) {
    HttpRequestOptions options = options_;
    options.cancel = context.cancel;
    decltype(parse(std::string())) result{};
    run_with_retries(*balancer_, config_.retry, context, what, [&](const std::string& base, AttemptRecord& record) {
      long status = 0;
      record.count = inputs;
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

  // The response as sent: cut to the leading steps whose input fits the
  // token budget (largest such prefix, by bisection over the step count;
  // token counts from the scorer's /tokenize when it has one). `render`
  // gives the input of a (possibly cut) response. Sets steps_total and
  // steps_sent, or `failure` when not even the problem and one step fit.
  template <typename Render>
  std::string fit(const std::string& response, ScoredSample& out, const RequestContext& context, Render render) {
    const std::size_t total = count_steps(response, config_.format);
    out.steps_total = out.steps_sent = total;
    if (!config_.max_input_tokens) return response;
    const long long budget = *config_.max_input_tokens;
    auto fits = [&](const std::string& input) {
      return TokenCounter::surely_fits(input, budget) || counter_->count(input, context) <= budget;
    };
    if (fits(render(response))) return response;
    std::size_t good = 0, bad = total;  // invariant: `good` steps fit (0: unknown), `bad` do not
    while (bad - good > 1) {
      const std::size_t mid = good + (bad - good) / 2;
      if (fits(render(leading_steps(response, config_.format, mid))))
        good = mid;
      else
        bad = mid;
    }
    if (good == 0) {  // the bisection found that even one step does not fit
      out.failure = "the input does not fit --scorer-max-input-tokens " + std::to_string(budget) +
                    " even with the problem and the first step only";
      return std::string();
    }
    out.steps_sent = good;
    return leading_steps(response, config_.format, good);
  }

  // Fits every response to the input budget (`render` gives what one is sent
  // as), then scores those that fit, batch by batch through score_splitting:
  // `score_texts(texts)` posts one batch of fitted responses and returns
  // their scores in order.
  template <typename Render, typename ScoreTexts>
  std::vector<ScoredSample> fit_and_score(std::span<const std::string> responses, const RequestContext& context,
                                          Render render, ScoreTexts score_texts) {
    std::vector<ScoredSample> out(responses.size());
    std::vector<std::string> sent(responses.size());
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < responses.size(); ++i) {
      sent[i] = fit(responses[i], out[i], context, render);
      if (out[i].failure.empty()) which.push_back(i);
    }
    score_splitting(which, out, [&](const std::vector<std::size_t>& batch) {
      std::vector<std::string> texts;
      for (std::size_t i : batch) texts.push_back(sent[i]);
      return score_texts(texts);
    });
    return out;
  }

  // Scores `inputs` (rendered, fitted) with score_batch; when the scorer
  // refuses a batch for one of its inputs (a 4xx, or a 5xx that persists),
  // the batch is split in halves until each refused input is alone, and
  // only those fail.
  template <typename ScoreBatch>
  void score_splitting(std::vector<std::size_t> which, std::vector<ScoredSample>& out, ScoreBatch score_batch) {
    if (which.empty()) return;
    try {
      std::vector<ScoredSample> scored = score_batch(which);
      for (std::size_t i = 0; i < which.size(); ++i) {
        ScoredSample& target = out[which[i]];
        target.score = scored[i].score;
        target.step_rewards = std::move(scored[i].step_rewards);
      }
      warn_if_identical(which, out);
    } catch (const BackendError& error) {
      if (!is_sample_specific(error)) throw;
      if (which.size() == 1) {
        out[which[0]].failure = error.what();
        return;
      }
      const auto half = which.begin() + static_cast<long>(which.size() / 2);
      score_splitting(std::vector<std::size_t>(which.begin(), half), out, score_batch);
      score_splitting(std::vector<std::size_t>(half, which.end()), out, score_batch);
    }
  }

  void warn_if_identical(const std::vector<std::size_t>& which, const std::vector<ScoredSample>& out) {
    if (which.size() < 2) return;
    for (std::size_t i : which)
      if (out[i].score != out[which[0]].score) return;
    if (!warned_identical_.exchange(true) && notice_)
      notice_("every score of a batch of " + std::to_string(which.size()) + " inputs is " +
              std::to_string(out[which[0]].score) +
              " (a reward head the server does not turn into a probability as expected? see "
              "--classify-activation; this warning is not repeated)");
  }

  ScorerConfig config_;
  std::string path_;
  std::function<void(const std::string&)> notice_;
  std::unique_ptr<Balancer> balancer_;
  HttpRequestOptions options_;
  std::unique_ptr<TokenCounter> counter_;
  std::atomic<bool> warned_identical_{false};
};

json input_field(std::vector<std::string> inputs) {
  if (inputs.size() == 1) return inputs.front();
  return inputs;
}

class PoolingScorer final : public HttpScorer {
 public:
  PoolingScorer(ScorerConfig config, std::function<void(const std::string&)> notice)
      : HttpScorer(std::move(config), "/pooling", {"/pooling"}, std::move(notice)) {}
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
    return fit_and_score(
        responses, context, [&](const std::string& r) { return render_prm_input(problem, r, config_.format); },
        [&](const std::vector<std::string>& texts) {
          std::vector<std::size_t> steps;
          for (const std::string& text : texts) steps.push_back(count_steps(text, config_.format));
          return post(request_body(problem, texts), context, "/pooling", [&](const std::string& answer) {
            auto rewards = parse_pooling_response(answer, steps, config_.positive_index);
            std::vector<ScoredSample> scored;
            for (auto& r : rewards) {
              ScoredSample sample;
              sample.score = aggregate_steps(r, config_.aggregation);
              sample.step_rewards = std::move(r);
              scored.push_back(std::move(sample));
            }
            return scored;
          }, static_cast<int>(texts.size()));
        });
  }
};

class ClassifyScorer final : public HttpScorer {
 public:
  ClassifyScorer(ScorerConfig config, std::function<void(const std::string&)> notice)
      : HttpScorer(std::move(config), "/classify", {"/classify"}, std::move(notice)) {}
  int batch_size() const override { return config_.batch_size; }

  std::string render(std::string_view problem, const std::string& response) const {
    return render_template(config_.format.chat_template,
                           {{"system", config_.format.system}, {"problem", std::string(problem)}, {"response", response}});
  }

  // The inputs go in `input` (vLLM, SGLang's /v1/classify) and again in
  // `text` (SGLang's native /classify at the server root, which returns the
  // raw logit of a one-logit reward head; the other servers ignore it).
  std::string request_body(std::string_view problem, std::span<const std::string> responses) const override {
    std::vector<std::string> inputs;
    for (const std::string& r : responses) inputs.push_back(render(problem, r));
    json body = base_body();
    body["text"] = input_field(inputs);
    body["input"] = input_field(std::move(inputs));
    return body.dump();
  }

  std::vector<ScoredSample> score(std::string_view problem, std::span<const std::string> responses,
                                  const RequestContext& context) override {
    return fit_and_score(
        responses, context, [&](const std::string& r) { return render(problem, r); },
        [&](const std::vector<std::string>& texts) {
          return post(request_body(problem, texts), context, "/classify", [&](const std::string& answer) {
            std::vector<ScoredSample> scored;
            for (double s : parse_classify_response(answer, texts.size(), config_.positive_index,
                                                    config_.classify_activation)) {
              ScoredSample sample;
              sample.score = s;
              scored.push_back(std::move(sample));
            }
            return scored;
          }, static_cast<int>(texts.size()));
        });
  }
};

class JudgeScorer final : public HttpScorer {
 public:
  JudgeScorer(ScorerConfig config, std::function<void(const std::string&)> notice)
      : HttpScorer(std::move(config), "/chat/completions", {"/chat/completions"}, std::move(notice)) {}
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
    std::vector<ScoredSample> scored(responses.size());
    for (std::size_t i = 0; i < responses.size(); ++i) {
      ScoredSample& out = scored[i];
      std::optional<double> verdict;
      try {
        verdict = post(request_body(problem, responses.subspan(i, 1)), context, "judge",
                       [&](const std::string& answer) {
                         return parse_judge_response(answer, config_.judge.yes, config_.judge.no);
                       });
      } catch (const BackendError& error) {
        if (!is_sample_specific(error)) throw;
        out.failure = error.what();
        continue;
      }
      if (verdict) {
        out.score = *verdict;
      } else {
        out.unreadable = true;
        const std::string why = "unreadable judge reply: neither '" + config_.judge.yes + "' nor '" +
                                config_.judge.no + "' is among the first token's top " +
                                std::to_string(config_.judge.top_logprobs) + " logprobs";
        if (config_.judge.unreadable_score) {
          out.score = *config_.judge.unreadable_score;
        } else {
          out.failure = why;
        }
      }
    }
    return scored;
  }
};

}  // namespace

std::unique_ptr<Scorer> make_scorer(ScorerConfig config, std::function<void(const std::string&)> notice) {
  switch (config.kind) {
    case ScorerKind::pooling: return std::make_unique<PoolingScorer>(std::move(config), std::move(notice));
    case ScorerKind::classify: return std::make_unique<ClassifyScorer>(std::move(config), std::move(notice));
    case ScorerKind::judge: return std::make_unique<JudgeScorer>(std::move(config), std::move(notice));
  }
  OPTSCALE_INVARIANT(false, "unknown scorer kind " + std::to_string(static_cast<int>(config.kind)));
}

}  // namespace optscale::backend
