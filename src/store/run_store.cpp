#include "optscale/store/run_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::store {

using nlohmann::json;

namespace {

constexpr int kSchemaVersion = 2;

// A score's step rewards, stored as the JSON list of numbers record_score wrote.
std::vector<double> step_rewards_of(const std::string& text) {
  const json list = util::parse_json(text, "a stored score's step rewards");
  std::vector<double> rewards;
  if (!list.is_array()) throw Error("a stored score's step rewards are not a list: " + util::json_excerpt(list));
  for (const json& reward : list) {
    if (!reward.is_number()) throw Error("a stored score's step reward is not a number: " + util::json_excerpt(reward));
    rewards.push_back(reward.get<double>());
  }
  return rewards;
}

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS problems (idx INTEGER PRIMARY KEY, id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, problem INTEGER NOT NULL, kind TEXT NOT NULL,
  first_draw INTEGER NOT NULL, count INTEGER NOT NULL, endpoint TEXT NOT NULL, attempt INTEGER NOT NULL,
  http_status INTEGER NOT NULL, outcome TEXT NOT NULL, error TEXT NOT NULL, seconds REAL NOT NULL,
  at REAL NOT NULL, wasted_tokens INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS samples (
  problem INTEGER NOT NULL, draw INTEGER NOT NULL, text TEXT NOT NULL, tokens INTEGER NOT NULL,
  finish_reason TEXT NOT NULL, PRIMARY KEY (problem, draw));
CREATE TABLE IF NOT EXISTS scores (
  problem INTEGER NOT NULL, draw INTEGER NOT NULL, score REAL NOT NULL, step_rewards TEXT NOT NULL,
  PRIMARY KEY (problem, draw));
CREATE TABLE IF NOT EXISTS decisions (
  problem INTEGER NOT NULL, round INTEGER NOT NULL, observed INTEGER NOT NULL, draw INTEGER NOT NULL,
  reason TEXT NOT NULL, PRIMARY KEY (problem, round));
CREATE TABLE IF NOT EXISTS results (problem INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sample_issues (
  problem INTEGER NOT NULL, draw INTEGER NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (problem, draw, kind));
)sql";

}  // namespace

struct RunStore::Statements {
  sqlite3_stmt* request = nullptr;
  sqlite3_stmt* sample = nullptr;
  sqlite3_stmt* score = nullptr;
  sqlite3_stmt* decision = nullptr;
  sqlite3_stmt* result = nullptr;
  sqlite3_stmt* load_samples = nullptr;
  sqlite3_stmt* load_decisions = nullptr;
  sqlite3_stmt* load_result = nullptr;
  sqlite3_stmt* issue = nullptr;
  sqlite3_stmt* load_issues = nullptr;
  ~Statements() {
    for (sqlite3_stmt* s :
         {request, sample, score, decision, result, load_samples, load_decisions, load_result, issue, load_issues})
      sqlite3_finalize(s);
  }
};

namespace {

// Binds, steps once and resets an insert; throws naming the store and table.
class Step {
 public:
  Step(sqlite3* db, sqlite3_stmt* statement, const std::filesystem::path& path, const char* what)
      : db_(db), statement_(statement), path_(path), what_(what) {}
  Step& text(int index, const std::string& value) {
    check(sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Step& integer(int index, long long value) {
    check(sqlite3_bind_int64(statement_, index, value));
    return *this;
  }
  Step& real(int index, double value) {
    check(sqlite3_bind_double(statement_, index, value));
    return *this;
  }
  void run() {
    int rc = sqlite3_step(statement_);
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    if (rc != SQLITE_DONE)
      throw Error("run store " + path_.string() + ": cannot record " + what_ + ": " + sqlite3_errmsg(db_));
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw Error("run store " + path_.string() + ": " + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* statement_;
  const std::filesystem::path& path_;
  std::string what_;
};

std::string column_text(sqlite3_stmt* s, int column) {
  const unsigned char* text = sqlite3_column_text(s, column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
              : std::string();
}

}  // namespace

RunStore::RunStore(const std::filesystem::path& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("run store " + path.string() + ": cannot open: " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    // Checkpoint the WAL every ~16 MB rather than 4 MB: fewer copies of
    // pages that are written many times (the run's indexes).
    exec("PRAGMA wal_autocheckpoint=4000");
    exec(kSchema);
    // Stores of schema 1 lack requests.wasted_tokens.
    sqlite3_stmt* columns = prepare("SELECT COUNT(*) FROM pragma_table_info('requests') WHERE name = 'wasted_tokens'");
    const bool has_wasted = sqlite3_step(columns) == SQLITE_ROW && sqlite3_column_int64(columns, 0) > 0;
    sqlite3_finalize(columns);
    if (!has_wasted) exec("ALTER TABLE requests ADD COLUMN wasted_tokens INTEGER NOT NULL DEFAULT 0");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
  statements_ = std::make_unique<Statements>();
  statements_->request = prepare(
      "INSERT INTO requests (problem, kind, first_draw, count, endpoint, attempt, http_status, outcome, error, "
      "seconds, at, wasted_tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  statements_->sample =
      prepare("INSERT INTO samples (problem, draw, text, tokens, finish_reason) VALUES (?1, ?2, ?3, ?4, ?5)");
  statements_->score =
      prepare("INSERT INTO scores (problem, draw, score, step_rewards) VALUES (?1, ?2, ?3, ?4)");
  statements_->decision =
      prepare("INSERT INTO decisions (problem, round, observed, draw, reason) VALUES (?1, ?2, ?3, ?4, ?5)");
  statements_->result = prepare("INSERT INTO results (problem, json) VALUES (?1, ?2)");
  statements_->load_samples = prepare(
      "SELECT s.draw, s.text, s.tokens, s.finish_reason, c.score, c.step_rewards FROM samples s "
      "LEFT JOIN scores c ON c.problem = s.problem AND c.draw = s.draw WHERE s.problem = ?1 ORDER BY s.draw");
  statements_->load_decisions =
      prepare("SELECT round, observed, draw, reason FROM decisions WHERE problem = ?1 ORDER BY round");
  statements_->load_result = prepare("SELECT json FROM results WHERE problem = ?1");
  statements_->issue =
      prepare("INSERT OR REPLACE INTO sample_issues (problem, draw, kind, stage, reason) VALUES (?1, ?2, ?3, ?4, ?5)");
  statements_->load_issues =
      prepare("SELECT draw, kind, stage, reason FROM sample_issues WHERE problem = ?1 ORDER BY draw, kind");
}

RunStore::~RunStore() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the run's lock
  if (!db_) return;
  if (in_transaction_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  statements_.reset();
  sqlite3_close(db_);
}

void RunStore::exec(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error("run store " + path_.string() + ": " + text +
                (text.find("not a database") != std::string::npos ? " (is this a run database?)" : ""));
  }
}

sqlite3_stmt* RunStore::prepare(const char* sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK)
    throw Error("run store " + path_.string() + ": " + sqlite3_errmsg(db_));
  return statement;
}

bool RunStore::has_run() const {
  sqlite3_stmt* s = prepare("SELECT COUNT(*) FROM meta WHERE key = 'settings'");
  bool found = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0;
  sqlite3_finalize(s);
  return found;
}

void RunStore::lock_for_run(std::chrono::milliseconds wait) {
  if (lock_fd_ >= 0) return;
  const std::string lock_path = path_.string() + "-lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("run store " + path_.string() + ": cannot open " + lock_path + ": " + std::strerror(errno));
  // A process just killed may take a moment to exit and release it.
  const auto give_up = std::chrono::steady_clock::now() + wait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if ((errno != EWOULDBLOCK && errno != EINTR) || std::chrono::steady_clock::now() >= give_up) {
      const std::string why = errno == EWOULDBLOCK ? std::string("another process is running on it") : std::strerror(errno);
      ::close(fd);
      throw Error("run store " + path_.string() + " is in use: " + why +
                  " (an `optscale run` still going, perhaps one whose kill reached only a wrapper around it); "
                  "two runs on one store would draw the same samples twice. Wait for it to end or stop it, then "
                  "--resume");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  lock_fd_ = fd;
}

bool RunStore::holds_work() const {
  // Failed requests and first decisions (made before any sample) are no
  // work: a rerun makes the same decisions again.
  for (const char* table : {"samples", "scores", "results"})
    if (count(table) > 0) return true;
  return false;
}

void RunStore::forget_run() {
  // The caller (`optscale run`) forgets only a run without work.
  OPTSCALE_INVARIANT(!holds_work(), "run store " + path_.string() + ": cannot forget a run that holds work");
  begin();
  exec("DELETE FROM meta");
  exec("DELETE FROM problems");
  exec("DELETE FROM requests");
  exec("DELETE FROM decisions");
  commit();
}

void RunStore::begin_run(const json& settings, const std::vector<std::string>& problem_ids) {
  lock_for_run();
  if (!has_run()) {
    begin();
    sqlite3_stmt* meta = prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)");
    Step(db_, meta, path_, "settings").text(1, "settings").text(2, settings.dump()).run();
    Step(db_, meta, path_, "schema").text(1, "schema").text(2, std::to_string(kSchemaVersion)).run();
    sqlite3_finalize(meta);
    sqlite3_stmt* problem = prepare("INSERT INTO problems (idx, id) VALUES (?1, ?2)");
    for (std::size_t i = 0; i < problem_ids.size(); ++i)
      Step(db_, problem, path_, "problem").integer(1, static_cast<long long>(i)).text(2, problem_ids[i]).run();
    sqlite3_finalize(problem);
    commit();
    return;
  }
  sqlite3_stmt* s = prepare("SELECT value FROM meta WHERE key = 'settings'");
  sqlite3_step(s);
  json stored;
  try {
    stored = util::parse_json(column_text(s, 0), "the run store's settings");
  } catch (const util::JsonInputError&) {
    stored = nullptr;  // unreadable: every setting differs, and the message below says so
  }
  sqlite3_finalize(s);
  std::string differences;
  for (const auto& [key, value] : settings.items()) {
    if (!stored.contains(key) || stored[key] != value)
      differences += "\n  " + key + ": stored " + (stored.contains(key) ? stored[key].dump() : "(none)") +
                     ", now " + value.dump();
  }
  for (const auto& [key, value] : stored.items())
    if (!settings.contains(key)) differences += "\n  " + key + ": stored " + value.dump() + ", now (none)";
  if (!differences.empty())
    throw Error("run store " + path_.string() +
                " was made by a run with other settings; resume with the same ones or use another --store:" +
                differences);
  sqlite3_stmt* ids = prepare("SELECT idx, id FROM problems ORDER BY idx");
  std::size_t count = 0;
  while (sqlite3_step(ids) == SQLITE_ROW) {
    std::size_t index = static_cast<std::size_t>(sqlite3_column_int64(ids, 0));
    std::string id = column_text(ids, 1);
    if (index >= problem_ids.size() || problem_ids[index] != id) {
      sqlite3_finalize(ids);
      throw Error("run store " + path_.string() + ": problem " + std::to_string(index + 1) + " was '" + id +
                  "' in the stored run but is " +
                  (index < problem_ids.size() ? "'" + problem_ids[index] + "'" : std::string("missing")) +
                  " in this problem file");
    }
    ++count;
  }
  sqlite3_finalize(ids);
  if (count != problem_ids.size())
    throw Error("run store " + path_.string() + ": the stored run had " + std::to_string(count) +
                " problems; this problem file has " + std::to_string(problem_ids.size()));
}

void RunStore::begin() {
  if (in_transaction_) return;
  exec("BEGIN");
  in_transaction_ = true;
}

void RunStore::commit() {
  if (!in_transaction_) return;
  exec("COMMIT");
  in_transaction_ = false;
}

void RunStore::record_request(const RequestRow& row) {
  Step(db_, statements_->request, path_, "a request")
      .integer(1, row.problem).text(2, row.kind).integer(3, row.first_draw).integer(4, row.count)
      .text(5, row.endpoint).integer(6, row.attempt).integer(7, row.http_status).text(8, row.outcome)
      .text(9, row.error).real(10, row.seconds).real(11, row.at).integer(12, row.wasted_tokens).run();
}

void RunStore::record_sample(int problem, const StoredSample& sample) {
  Step(db_, statements_->sample, path_, "a sample")
      .integer(1, problem).integer(2, sample.draw).text(3, sample.text).integer(4, sample.tokens)
      .text(5, sample.finish_reason).run();
}

void RunStore::record_score(int problem, int draw, double score, const std::vector<double>& step_rewards) {
  Step(db_, statements_->score, path_, "a score")
      .integer(1, problem).integer(2, draw).real(3, score).text(4, json(step_rewards).dump()).run();
}

void RunStore::record_decision(int problem, const StoredDecision& decision) {
  Step(db_, statements_->decision, path_, "a decision")
      .integer(1, problem).integer(2, decision.round).integer(3, decision.observed).integer(4, decision.draw)
      .text(5, decision.reason).run();
}

void RunStore::record_result(int problem, const std::string& result_json) {
  Step(db_, statements_->result, path_, "a result").integer(1, problem).text(2, result_json).run();
}

std::vector<StoredSample> RunStore::load_samples(int problem) const {
  sqlite3_stmt* s = statements_->load_samples;
  sqlite3_bind_int64(s, 1, problem);
  std::vector<StoredSample> samples;
  while (sqlite3_step(s) == SQLITE_ROW) {
    StoredSample sample;
    sample.draw = sqlite3_column_int(s, 0);
    sample.text = column_text(s, 1);
    sample.tokens = sqlite3_column_int64(s, 2);
    sample.finish_reason = column_text(s, 3);
    if (sqlite3_column_type(s, 4) != SQLITE_NULL) {
      sample.score = sqlite3_column_double(s, 4);
      sample.step_rewards = step_rewards_of(column_text(s, 5));
    }
    samples.push_back(std::move(sample));
  }
  sqlite3_reset(s);
  return samples;
}

std::vector<StoredDecision> RunStore::load_decisions(int problem) const {
  sqlite3_stmt* s = statements_->load_decisions;
  sqlite3_bind_int64(s, 1, problem);
  std::vector<StoredDecision> decisions;
  while (sqlite3_step(s) == SQLITE_ROW)
    decisions.push_back(StoredDecision{sqlite3_column_int(s, 0), sqlite3_column_int(s, 1),
                                       sqlite3_column_int(s, 2), column_text(s, 3)});
  sqlite3_reset(s);
  return decisions;
}

std::optional<std::string> RunStore::load_result(int problem) const {
  sqlite3_stmt* s = statements_->load_result;
  sqlite3_bind_int64(s, 1, problem);
  std::optional<std::string> result;
  if (sqlite3_step(s) == SQLITE_ROW) result = column_text(s, 0);
  sqlite3_reset(s);
  return result;
}

void RunStore::record_issue(int problem, const SampleIssue& issue) {
  Step(db_, statements_->issue, path_, "a sample issue")
      .integer(1, problem).integer(2, issue.draw).text(3, issue.kind).text(4, issue.stage).text(5, issue.reason).run();
}

std::vector<SampleIssue> RunStore::load_issues(int problem) const {
  sqlite3_stmt* s = statements_->load_issues;
  sqlite3_bind_int64(s, 1, problem);
  std::vector<SampleIssue> issues;
  while (sqlite3_step(s) == SQLITE_ROW)
    issues.push_back(SampleIssue{sqlite3_column_int(s, 0), column_text(s, 1), column_text(s, 2), column_text(s, 3)});
  sqlite3_reset(s);
  return issues;
}

std::vector<int> RunStore::finished_problems() const {
  sqlite3_stmt* s = prepare("SELECT problem FROM results ORDER BY problem");
  std::vector<int> out;
  while (sqlite3_step(s) == SQLITE_ROW) out.push_back(sqlite3_column_int(s, 0));
  sqlite3_finalize(s);
  return out;
}

long long RunStore::count(const std::string& table) const {
  static const char* allowed[] = {"requests", "samples", "scores", "decisions", "results", "problems"};
  bool ok = false;
  for (const char* name : allowed) ok = ok || table == name;
  OPTSCALE_INVARIANT(ok, "run store: no table '" + table + "'");
  sqlite3_stmt* s = prepare(("SELECT COUNT(*) FROM " + table).c_str());
  long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return n;
}

}  // namespace optscale::store

namespace optscale::store {

long long RunStore::total_tokens() const {
  sqlite3_stmt* s = prepare("SELECT COALESCE(SUM(tokens), 0) FROM samples");
  long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return n;
}

}  // namespace optscale::store
