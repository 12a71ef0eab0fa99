#include "optscale/server/engine_answerer.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <span>

#include "optscale/answers/answers.hpp"
#include "optscale/backend/retry.hpp"
#include "optscale/policy/problem_run.hpp"
#include "optscale/util/error.hpp"

namespace optscale::server {
namespace {

// A failure kind as a metrics label: "server error" -> "server_error".
std::string metric_label(backend::FailureKind kind) {
  std::string label(backend::to_string(kind));
  std::replace(label.begin(), label.end(), ' ', '_');
  return label;
}

// What one client request's upstream tasks share: the failures they saw (to
// tell a timeout from other failures) and the first exception they threw.
class RequestTasks {
 public:
  explicit RequestTasks(const AnswerRequest& request) : request_(request) {}

  backend::RequestContext context(std::uint64_t jitter_seed, UpstreamError::Side side) {
    backend::RequestContext context;
    context.cancel = request_.cancel;
    context.jitter_seed = jitter_seed;
    context.on_attempt = [this, side](const backend::AttemptRecord& record) {
      if (record.wasted_tokens > 0 && request_.on_wasted_tokens) request_.on_wasted_tokens(record.wasted_tokens);
      if (!record.failure || *record.failure == backend::FailureKind::cancelled) return;
      {
        std::lock_guard lock(mutex_);
        last_failure_ = *record.failure;
        last_side_ = side;
        last_status_ = record.http_status;
        last_message_ = record.error;
      }
      if (request_.on_upstream_error) request_.on_upstream_error(metric_label(*record.failure));
    };
    return context;
  }

  void started() {
    std::lock_guard lock(mutex_);
    ++running_;
  }
  void finished(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (error && !error_) error_ = error;
    --running_;
    done_.notify_all();
  }
  // Waits for every started task, then rethrows the first failure as the
  // proxy's error.
  void wait_and_rethrow() {
    std::exception_ptr error;
    std::optional<backend::FailureKind> last;
    UpstreamError::Side side = UpstreamError::Side::generator;
    long status = 0;
    std::string message;
    {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [this] { return running_ == 0; });
      error = error_;
      error_ = nullptr;
      last = last_failure_;
      side = last_side_;
      status = last_status_;
      message = last_message_;
    }
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const backend::RequestCancelled&) {
      throw AnswerCancelled();
    } catch (const backend::BackendError& failed) {
      if (request_.cancel && request_.cancel->load()) throw AnswerCancelled();
      const UpstreamError::Kind kind = !last ? UpstreamError::Kind::unavailable
                                       : *last == backend::FailureKind::timeout ? UpstreamError::Kind::timeout
                                       : *last == backend::FailureKind::client_error
                                           ? UpstreamError::Kind::rejected
                                           : UpstreamError::Kind::unavailable;
      throw UpstreamError(kind, failed.what(), side, status, message);
    }
  }

 private:
  const AnswerRequest& request_;
  std::mutex mutex_;
  std::condition_variable done_;
  int running_ = 0;
  std::exception_ptr error_;
  std::optional<backend::FailureKind> last_failure_;
  UpstreamError::Side last_side_ = UpstreamError::Side::generator;  // of the last failed attempt
  long last_status_ = 0;
  std::string last_message_;
};

void throw_if_cancelled(const AnswerRequest& request) {
  if (request.cancel && request.cancel->load()) throw AnswerCancelled();
}

}  // namespace

void EngineAnswererOptions::validate() const {
  require(upstream_in_flight >= 1, "--upstream-in-flight", "must be at least 1");
}

EngineAnswerer::EngineAnswerer(backend::Generator& generator, backend::Scorer& scorer, EngineAnswererOptions options,
                               RequestPriors* priors)
    : generator_(generator),
      scorer_(scorer),
      options_((options.validate(), options)),
      priors_(priors),
      // Full priority: here the workers' latency is the client's latency, and
      // no single controller thread needs protecting.
      workers_(options_.upstream_in_flight, /*nice_steps=*/0) {}

AnswerResult EngineAnswerer::answer(const AnswerRequest& request) {
  require(request.strategy != nullptr, "serve", "a request reached the answerer without a policy");
  const long long number = requests_.fetch_add(1);
  policy::DirectFitProvider fits;
  policy::ProblemInfo info;
  info.id = "request";
  info.text = request.problem;
  info.fits = &fits;
  if (const std::optional<policy::PriorSource> source = request.strategy->prior_source()) {
    require(priors_ != nullptr, "serve", "the policy names a prior source but the proxy has no predictor");
    priors_->apply(*source, info);
  }
  // The one policy driver (policy/problem_run.hpp): classes in draw order,
  // the policy contract, the budget.
  policy::ProblemRun run(*request.strategy, info, options_.answer_grouping);

  AnswerResult result;
  result.model = !request.model.empty() ? request.model
                 : request.chat_body.contains("model") && request.chat_body["model"].is_string()
                     ? request.chat_body["model"].get<std::string>()
                     : generator_.config().model;
  RequestTasks tasks(request);

  int drawn = 0;  // draws asked for so far, failed ones included: sample k has seed request.seed + k
  // This round: what the policy asked for, or replacements of failed samples.
  for (int want = run.start().draw; want > 0;) {
    throw_if_cancelled(request);
    // Samples refused for their own sake are left out; a request whose
    // samples keep failing stops with what it has rather than drawing on.
    if (result.failed_samples >= std::max(1, request.strategy->budget())) {
      run.stop("failed-samples");
      break;
    }
    const int first = drawn;
    const int count = want;
    // Samples [first, first + count) in chunks of what one request may carry;
    // each chunk is drawn (asking again when the upstream returned fewer) and
    // then scored, on one thread: a worker, or for the round's last chunk
    // this request's own thread (a round of one chunk, the usual case with
    // `n`, then costs no hand-over between threads).
    std::vector<AnsweredSample> round(static_cast<std::size_t>(count));
    std::vector<long long> prompt_tokens(static_cast<std::size_t>(count), 0);
    const int per_request = std::max(1, generator_.samples_per_request());
    const auto run_chunk = [this, &request, &tasks, &round, &prompt_tokens, first](int begin, int end) {
      std::exception_ptr error;
      try {
        const auto jitter_seed = static_cast<std::uint64_t>(request.seed + first + begin);
        const backend::RequestContext context = tasks.context(jitter_seed, UpstreamError::Side::generator);
        const backend::RequestContext scoring = tasks.context(jitter_seed, UpstreamError::Side::scorer);
        std::vector<std::string> texts;
        int have = begin;
        while (have < end) {
          if (request.cancel && request.cancel->load()) throw backend::RequestCancelled();
          const long long seed = request.seed + first + have;
          std::vector<backend::GeneratedSample> drawn_now;
          try {
            drawn_now = generator_.generate_chat(request.chat_body, seed, end - have, context);
          } catch (const backend::BackendError& error) {
            if (!backend::is_sample_specific(error)) throw;
            // Refused for this seed alone (the generator checked n > 1 with
            // n = 1): that sample fails, the rest are asked again.
            round[static_cast<std::size_t>(have++)].failure = error.what();
            continue;
          }
          for (backend::GeneratedSample& s : drawn_now) {
            if (have >= end) break;
            prompt_tokens[static_cast<std::size_t>(have)] = s.prompt_tokens;
            AnsweredSample& out = round[static_cast<std::size_t>(have++)];
            out.text = std::move(s.text);
            out.tokens = s.tokens;
            out.finish_reason = std::move(s.finish_reason);
          }
        }
        std::vector<int> to_score;  // the drawn ones
        for (int i = begin; i < end; ++i)
          if (round[static_cast<std::size_t>(i)].failure.empty()) to_score.push_back(i);
        const std::size_t batch = static_cast<std::size_t>(std::max(1, scorer_.batch_size()));
        for (std::size_t at = 0; at < to_score.size(); at += batch) {
          const std::size_t batch_end = std::min(to_score.size(), at + batch);
          texts.clear();
          for (std::size_t j = at; j < batch_end; ++j) texts.push_back(round[static_cast<std::size_t>(to_score[j])].text);
          const std::vector<backend::ScoredSample> scores = scorer_.score(request.problem, texts, scoring);
          if (scores.size() != texts.size())
            throw backend::BackendError("the scorer returned " + std::to_string(scores.size()) + " scores for " +
                                        std::to_string(texts.size()) + " samples");
          int unreadable = 0;
          for (const backend::ScoredSample& scored : scores) unreadable += scored.unreadable ? 1 : 0;
          if (unreadable > 0 && request.on_unreadable_judgements) request.on_unreadable_judgements(unreadable);
          for (std::size_t j = at; j < batch_end; ++j) {
            AnsweredSample& sample = round[static_cast<std::size_t>(to_score[j])];
            sample.score = scores[j - at].score;
            sample.failure = scores[j - at].failure;
            sample.failed_scoring = !sample.failure.empty();
          }
        }
      } catch (...) {
        error = std::current_exception();
      }
      tasks.finished(error);
    };
    for (int begin = 0; begin < count; begin += per_request) {
      const int end = std::min(count, begin + per_request);
      tasks.started();
      if (end < count) {
        workers_.submit({number, first + begin}, [&run_chunk, begin, end] { run_chunk(begin, end); });
      } else {
        run_chunk(begin, end);
      }
    }
    tasks.wait_and_rethrow();
    throw_if_cancelled(request);

    drawn += count;
    int failed_now = 0;
    for (std::size_t i = 0; i < round.size(); ++i) {
      AnsweredSample& sample = round[i];
      if (!sample.failure.empty()) {
        ++failed_now;
        ++result.failed_samples;
        result.last_failure = std::move(sample.failure);
        result.last_failure_scoring = sample.failed_scoring;
        continue;
      }
      run.observe(policy::DrawnSample{sample.score, sample.tokens, std::nullopt, std::string_view(sample.text)});
      if (result.prompt_tokens == 0) result.prompt_tokens = prompt_tokens[i];
      result.samples.push_back(std::move(sample));
    }
    if (failed_now > 0 && request.on_failed_samples) request.on_failed_samples(failed_now);
    // The policy sees as many samples as it asked for: failed ones are
    // replaced by the next draws first (as `optscale run` does).
    want = failed_now > 0 ? failed_now : run.step().draw;
  }
  // Every sample refused: there is nothing to answer with.
  if (result.samples.empty() && result.failed_samples > 0)
    // A scorer that refuses (or cannot be read for) every sample is the
    // proxy's configuration (502), a generator that refuses every one the
    // request's (4xx).
    throw UpstreamError(UpstreamError::Kind::rejected,
                        "every sample was refused (" + std::to_string(result.failed_samples) +
                            "); the last: " + result.last_failure,
                        result.last_failure_scoring ? UpstreamError::Side::scorer : UpstreamError::Side::generator);
  const policy::RunResult finished = run.finish();
  result.stop_reason = finished.reason;
  result.selected = finished.selected;
  return result;
}

}  // namespace optscale::server
