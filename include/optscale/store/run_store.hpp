// The crash-safe run database (SQLite, WAL mode): every request attempt,
// sample, score, policy decision and result of a live run is written as it
// happens, so that a run killed at any point (even kill -9) resumes without
// drawing or scoring anything twice. Committed transactions survive the
// process being killed (WAL with synchronous=NORMAL; only a power loss can
// lose the last ones, which a resume then simply redoes).
//
// Tables: meta(key, value) holds the run's settings; problems(idx, id);
// requests (one row per attempt); samples and scores keyed by (problem,
// draw) so that nothing can be stored twice; decisions keyed by (problem,
// round); results keyed by problem; sample_issues (failed, unreadable or
// truncated samples) keyed by (problem, draw, kind).
//
// One run at a time: begin_run() takes an exclusive lock (flock on
// "<store>-lock", released when the store is closed or the process dies, even
// by kill -9), so a second `optscale run` on the same store is refused with a
// clear error instead of drawing, scoring and recording what the first one
// also does (which failed on the primary keys). Readers (count(), load_*)
// need no lock.
#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace optscale::store {

struct StoredSample {
  int draw = 0;
  std::string text;
  long long tokens = 0;
  std::string finish_reason;
  std::optional<double> score;       // absent until scored
  std::vector<double> step_rewards;
};

struct StoredDecision {
  int round = 0;
  int observed = 0;   // observations the policy saw
  int draw = 0;       // what it asked for (0 = stop)
  std::string reason;
};

struct RequestRow {
  int problem = 0;
  std::string kind;          // "generate" | "score"
  int first_draw = 0;
  int count = 0;
  std::string endpoint;
  int attempt = 1;
  long http_status = 0;
  std::string outcome;       // "ok" or the failure kind
  std::string error;
  double seconds = 0.0;
  double at = 0.0;           // when it was recorded, Unix seconds
  long long wasted_tokens = 0;  // generated but dropped (choices without counts, or not asked for)
};

// Something that happened to one sample besides being drawn and scored:
// `failed` (it has no score and is left out of the observations; `stage` is
// "generate" or "score"), `unreadable` (a judge reply naming neither verdict
// word; scored by the fallback, or also failed), `truncated` (cut to fit the
// scorer's input budget).
struct SampleIssue {
  int draw = 0;
  std::string kind;    // "failed" | "unreadable" | "truncated"
  std::string stage;   // "generate" | "score"
  std::string reason;
};

class RunStore {
 public:
  // Opens (creating when absent) the database at `path`.
  // Throws optscale::Error naming the file when it cannot be opened or is
  // not a run database.
  explicit RunStore(const std::filesystem::path& path);
  ~RunStore();
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  // True when a run has been recorded here before.
  bool has_run() const;

  // True when the recorded run did any work (a sample, a score or a result
  // stored). A run that failed before any (server down) leaves only its
  // settings, failed requests and first decisions, and forget_run() clears those so that a
  // plain rerun, with the same or other settings, starts afresh.
  bool holds_work() const;
  void forget_run();

  // Takes the store's run lock, waiting up to `wait` for a process that is
  // exiting; throws optscale::Error naming the store when another process
  // holds it. begin_run() calls it (with kLockWait) unless it is held already.
  static constexpr std::chrono::milliseconds kLockWait{3000};
  void lock_for_run(std::chrono::milliseconds wait = kLockWait);

  // Takes the run lock, then records the run's settings and problem ids on
  // first use; on a later use (resume) checks that both are the same and
  // throws optscale::Error naming every setting that differs otherwise.
  void begin_run(const nlohmann::json& settings, const std::vector<std::string>& problem_ids);

  // Groups the writes between begin() and commit() in one transaction.
  void begin();
  void commit();

  void record_request(const RequestRow& row);
  void record_sample(int problem, const StoredSample& sample);
  void record_score(int problem, int draw, double score, const std::vector<double>& step_rewards);
  void record_decision(int problem, const StoredDecision& decision);
  void record_result(int problem, const std::string& result_json);
  void record_issue(int problem, const SampleIssue& issue);

  // In draw order.
  std::vector<StoredSample> load_samples(int problem) const;
  // In round order.
  std::vector<StoredDecision> load_decisions(int problem) const;
  std::optional<std::string> load_result(int problem) const;
  // In draw order, then kind.
  std::vector<SampleIssue> load_issues(int problem) const;
  // Problem indices that have a result, ascending.
  std::vector<int> finished_problems() const;

  long long count(const std::string& table) const;
  // Completion tokens of every stored sample.
  long long total_tokens() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  sqlite3_stmt* prepare(const char* sql) const;
  void exec(const char* sql) const;

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  struct Statements;
  std::unique_ptr<Statements> statements_;
  bool in_transaction_ = false;
  int lock_fd_ = -1;  // the run lock's file, once taken
};

}  // namespace optscale::store
