#include "run_records.hpp"

#include <chrono>

namespace optscale::engine {

void RunRecords::attempt(const Attempted& e) {
  ++summary_.attempts;
  if (e.record.failure) ++summary_.failed_attempts;
  summary_.wasted_tokens += e.record.wasted_tokens;
  store_.record_request(store::RequestRow{
      e.problem, e.kind, e.first_draw, e.record.count > 0 ? e.record.count : e.count, e.record.endpoint,
      e.record.attempt, e.record.http_status,
      e.record.failure ? std::string(backend::to_string(*e.record.failure)) : std::string("ok"),
      e.record.error, e.record.seconds,
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(),
      e.record.wasted_tokens});
}

void RunRecords::drawn(int problem, int draw, const backend::GeneratedSample& s) {
  store_.record_sample(problem, store::StoredSample{draw, s.text, s.tokens, s.finish_reason, {}, {}});
  tokens_spent_ += s.tokens;
  ++summary_.drawn;
}

bool RunRecords::scored(int problem, int draw, const backend::ScoredSample& s) {
  if (s.unreadable) {
    ++summary_.unreadable_judgements;
    store_.record_issue(problem, store::SampleIssue{draw, "unreadable", "score",
                                                    s.failure.empty() ? "judge reply unreadable; scored " +
                                                                            std::to_string(s.score) + " (--judge-unreadable)"
                                                                      : s.failure});
    if (!warned_unreadable_ && notice_) {
      warned_unreadable_ = true;
      notice_("problem " + problems_[static_cast<std::size_t>(problem)].id + ", sample " + std::to_string(draw) +
              ": " + (s.failure.empty() ? std::string("unreadable judge reply, scored by --judge-unreadable")
                                        : s.failure) +
              " (counted in the summary as unreadable_judgements; not repeated)");
    }
  }
  if (s.steps_sent < s.steps_total) {
    ++summary_.truncated_inputs;
    store_.record_issue(problem, store::SampleIssue{draw, "truncated", "score",
                                                    "kept the first " + std::to_string(s.steps_sent) + " of " +
                                                        std::to_string(s.steps_total) +
                                                        " steps (--scorer-max-input-tokens)"});
  }
  if (!s.failure.empty()) return false;
  store_.record_score(problem, draw, s.score, s.step_rewards);
  ++summary_.scored;
  return true;
}

}  // namespace optscale::engine
