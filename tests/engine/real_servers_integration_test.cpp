// `optscale run` against `optscale mock-server --personality ...`: the mock
// behaving as vLLM, llama.cpp, SGLang and Ollama really do (issue 10), both
// real binaries on 127.0.0.1. Long samples over the scorer's context, n
// refused with a 500, choices without token counts, a one-logit classifier,
// an unreadable judge: every run either completes, with every sample scored
// or recorded as failed with its reason and `optscale eval`'s figures on the
// problems nothing happened to, or stops at once saying what to change.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "child_process.hpp"
#include "long_sample_pool.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Workspace {
  Workspace() : dir(make_temp_dir("optscale-real-servers")) {}
  ~Workspace() {
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
  }
  fs::path dir;
};

std::vector<json> read_lines(const fs::path& path) {
  std::vector<json> lines;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(json::parse(line));
  return lines;
}

void write_lines(const fs::path& path, const std::vector<json>& lines) {
  std::ofstream out(path);
  for (const json& line : lines) out << line.dump() << "\n";
}

fs::path simulated_pool(const fs::path& dir, int problems, int samples, int seed) {
  fs::path pool = dir / "sim.jsonl";
  auto r = run_optscale("simulate --problems " + std::to_string(problems) + " --samples " + std::to_string(samples) +
                        " --seed " + std::to_string(seed) + " --out '" + pool.string() + "'");
  if (r.exit_code != 0) throw std::runtime_error("simulate failed: " + r.err);
  return pool;
}

std::string run_args(const std::string& generator, const std::string& scorer, const fs::path& problems,
                     const std::string& strategy, const fs::path& out, const std::string& extra = "") {
  return "run --problems '" + problems.string() + "' --generator " + generator + " --model m --scorer " + scorer +
         " --scorer-model prm --strategy '" + strategy + "' --out '" + out.string() + "' --store '" +
         out.string() + ".db' --json --progress-interval 1000 --retry-base-delay 0.001 --retry-max-delay 0.01 " +
         extra;
}

// One integer from the store.
long long query(const fs::path& store, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  long long value = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

// Every stored sample is scored or recorded as failed (with a reason).
void expect_every_sample_scored_or_failed(const fs::path& store) {
  EXPECT_EQ(query(store,
                  "SELECT COUNT(*) FROM samples s WHERE NOT EXISTS (SELECT 1 FROM scores c WHERE c.problem = "
                  "s.problem AND c.draw = s.draw) AND NOT EXISTS (SELECT 1 FROM sample_issues i WHERE i.problem = "
                  "s.problem AND i.draw = s.draw AND i.kind = 'failed' AND i.reason <> '')"),
            0);
}

// The run's figures over the problems not in `affected` equal `optscale
// eval`'s over a pool of those problems alone.
void expect_eval_figures_on_the_rest(const fs::path& dir, const std::vector<json>& pool,
                                     const std::vector<json>& results, const std::string& strategy,
                                     const std::set<std::string>& affected) {
  std::vector<json> rest_pool;
  for (const json& p : pool)
    if (!affected.count(p["id"].get<std::string>())) rest_pool.push_back(p);
  const fs::path rest_path = dir / "rest.jsonl";
  write_lines(rest_path, rest_pool);
  auto eval = run_optscale("eval --pool '" + rest_path.string() + "' --strategy '" + strategy + "' --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const json replay = json::parse(eval.out)["results"][0];
  double correct = 0, samples = 0, tokens = 0, n = 0;
  for (const json& r : results) {
    if (affected.count(r["id"].get<std::string>())) continue;
    EXPECT_FALSE(r.contains("failed")) << r.dump();
    correct += r["correct"].get<bool>() ? 1 : 0;
    samples += r["samples_used"].get<double>();
    tokens += r["tokens"].get<double>();
    ++n;
  }
  ASSERT_EQ(n, static_cast<double>(rest_pool.size()));
  EXPECT_NEAR(correct / n, replay["accuracy"].get<double>(), 1e-12);
  EXPECT_NEAR(samples / n, replay["mean_samples"].get<double>(), 1e-9);
  EXPECT_NEAR(tokens / n, replay["mean_tokens"].get<double>(), 1e-6);
}

std::vector<json> pool_lines(const fs::path& path) { return read_lines(path); }

const std::set<std::string> kLongProblems = {"r0", "r1", "r2", "r3", "r4"};

TEST(RealServers, VllmSamplesOverTheScorerContextAreCutToTheirLeadingSteps) {
  Workspace ws;
  const auto pool = long_sample_pool();
  const fs::path pool_path = ws.dir / "pool.jsonl";
  write_lines(pool_path, pool);
  MockServerProcess mock(ws.dir, pool_path, {"--personality", "vllm", "--max-model-len", "512"});
  const fs::path out = ws.dir / "cut.jsonl";
  const std::string spec = "bon:n=8";
  auto r = run_optscale(run_args(mock.v1(), mock.root(), pool_path, spec, out,
                                 "--scorer-max-input-tokens 512 --extra-body '{\"return_token_ids\":true}'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_GT(summary["truncated_inputs"].get<long long>(), 0);
  const auto results = read_lines(out);
  ASSERT_EQ(results.size(), 16u);
  // r4's giant sample 0 cannot be cut to fit: it fails, with its reason, and
  // the problem is answered from the others.
  ASSERT_TRUE(results[4].contains("failed")) << results[4].dump();
  EXPECT_EQ(results[4]["failed"][0]["draw"], 0);
  EXPECT_NE(results[4]["failed"][0]["reason"].get<std::string>().find("does not fit --scorer-max-input-tokens 512"),
            std::string::npos);
  EXPECT_EQ(summary["failed_samples"], 1);
  const fs::path store = out.string() + ".db";
  expect_every_sample_scored_or_failed(store);
  EXPECT_GT(query(store, "SELECT COUNT(*) FROM sample_issues WHERE kind = 'truncated' AND reason LIKE 'kept the first %'"),
            0);
  EXPECT_GT(query(store, "SELECT COUNT(*) FROM requests WHERE kind = 'score' AND outcome = 'ok' AND count = 1"), 0)
      << "token counts come from /tokenize";
  // With return_token_ids vLLM's choices are counted: n is kept.
  EXPECT_EQ(query(store, "SELECT COUNT(*) FROM requests WHERE kind = 'generate' AND outcome = 'ok' AND count = 8"), 16);
  EXPECT_EQ(r.err.find("without per-choice token counts"), std::string::npos) << r.err;
  expect_eval_figures_on_the_rest(ws.dir, pool, results, spec, kLongProblems);

  // A policy that peeks sees as many samples as it asked for: a failed one
  // is replaced by the next draw before it decides.
  const fs::path peeked = ws.dir / "peek.jsonl";
  auto o = run_optscale(run_args(mock.v1(), mock.root(), pool_path, "optscale0:n=8,peek=4,target=0.9,confidence=0.9",
                                 peeked, "--scorer-max-input-tokens 512 --extra-body '{\"return_token_ids\":true}'"));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(json::parse(o.out)["failed_samples"], 1);
  expect_every_sample_scored_or_failed(peeked.string() + ".db");
}

TEST(RealServers, VllmRefusingOneInputFailsThatSampleAloneAndTheLimitStopsTheRun) {
  Workspace ws;
  const auto pool = long_sample_pool();
  const fs::path pool_path = ws.dir / "pool.jsonl";
  write_lines(pool_path, pool);
  MockServerProcess mock(ws.dir, pool_path, {"--personality", "vllm", "--max-model-len", "512"});
  const std::string spec = "bon:n=6";
  const fs::path out = ws.dir / "refused.jsonl";
  auto r = run_optscale(run_args(mock.v1(), mock.root(), pool_path, spec, out,
                                 "--max-failed-samples 100 --extra-body '{\"return_token_ids\":true}'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto results = read_lines(out);
  ASSERT_TRUE(results[0].contains("failed"));
  EXPECT_NE(results[0]["failed"][0]["reason"].get<std::string>().find("context length is only 512"),
            std::string::npos)
      << results[0].dump();
  EXPECT_EQ(results[0]["samples_used"], 6);  // the failed ones were replaced by later draws
  expect_every_sample_scored_or_failed(out.string() + ".db");
  expect_eval_figures_on_the_rest(ws.dir, pool, results, spec, kLongProblems);

  // With a tighter limit the run stops, naming the problems and the reason.
  const fs::path stopped = ws.dir / "stopped.jsonl";
  auto s = run_optscale(run_args(mock.v1(), mock.root(), pool_path, spec, stopped,
                                 "--max-failed-samples 2 --extra-body '{\"return_token_ids\":true}'"));
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_NE(s.err.find("more than --max-failed-samples allows"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("context length is only 512"), std::string::npos) << s.err;
  EXPECT_NE(s.err.find("--resume"), std::string::npos) << s.err;
  // As a fraction (of the samples attempted, at least 100): 0.02 allows 2.
  auto fraction = run_optscale(run_args(mock.v1(), mock.root(), pool_path, spec, ws.dir / "fraction.jsonl",
                                        "--max-failed-samples 0.02 --extra-body '{\"return_token_ids\":true}'"));
  EXPECT_EQ(fraction.exit_code, 1);
  EXPECT_NE(fraction.err.find("more than --max-failed-samples allows"), std::string::npos) << fraction.err;
  // Resumed with room for the failures, it ends as the run that never
  // stopped: stored failures are not retried, and their replacements are
  // the same draws.
  auto resumed = run_optscale(run_args(mock.v1(), mock.root(), pool_path, spec, stopped,
                                       "--max-failed-samples 100 --resume --extra-body '{\"return_token_ids\":true}'"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_text(stopped), read_text(out));
}

TEST(RealServers, LlamaCppRefusesNAboveItsSlotsWith500AndTheRunFallsBackToSingleRequests) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 12, 16, 3);
  const auto pool = pool_lines(pool_path);
  const std::string fail_id = pool[2]["id"].get<std::string>();
  MockServerProcess llama(ws.dir, pool_path, {"--personality", "llama.cpp", "--fail-sample", fail_id + ":0"}, "llama");
  MockServerProcess prm(ws.dir, pool_path, {}, "prm");
  const std::string spec = "bon:n=8";
  const fs::path out = ws.dir / "llama.jsonl";
  // One request at a time, so that the server has answered others before
  // the failing sample (a 500 from a server that answered nothing stops a run).
  auto r = run_optscale(run_args(llama.v1(), prm.root(), pool_path, spec, out, "--max-attempts 2 --max-in-flight 1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("refused n=8 (HTTP 500"), std::string::npos) << r.err;
  const fs::path store = out.string() + ".db";
  // The store records what was sent: the refused n=8, then single requests.
  EXPECT_GE(query(store, "SELECT COUNT(*) FROM requests WHERE kind = 'generate' AND count = 8 AND http_status = 500"),
            1);
  EXPECT_EQ(query(store, "SELECT COUNT(*) FROM requests WHERE kind = 'generate' AND outcome = 'ok' AND count > 1"), 0);
  // The sample whose completion llama.cpp cannot serialise fails alone.
  const auto results = read_lines(out);
  ASSERT_TRUE(results[2].contains("failed")) << results[2].dump();
  EXPECT_NE(results[2]["failed"][0]["reason"].get<std::string>().find("invalid UTF-8"), std::string::npos);
  EXPECT_EQ(results[2]["samples_used"], 8);
  expect_every_sample_scored_or_failed(store);
  expect_eval_figures_on_the_rest(ws.dir, pool, results, spec, {fail_id});
}

TEST(RealServers, LlamaCppChoicesWithoutCountsAreCountedAsWasteOrKeptWithLogprobs) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 8, 12, 4);
  const auto pool = pool_lines(pool_path);
  MockServerProcess llama(ws.dir, pool_path, {"--personality", "llama.cpp"}, "llama");
  MockServerProcess prm(ws.dir, pool_path, {}, "prm");
  const std::string spec = "bon:n=4";
  {
    const fs::path out = ws.dir / "waste.jsonl";
    auto r = run_optscale(run_args(llama.v1(), prm.root(), pool_path, spec, out, "--max-n-per-request 4"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("without per-choice token counts"), std::string::npos) << r.err;
    EXPECT_GT(json::parse(r.out)["wasted_tokens"].get<long long>(), 0);
    EXPECT_EQ(query(out.string() + ".db", "SELECT SUM(wasted_tokens) FROM requests"),
              json::parse(r.out)["wasted_tokens"].get<long long>());
    expect_eval_figures_on_the_rest(ws.dir, pool, read_lines(out), spec, {});
  }
  {
    const fs::path out = ws.dir / "logprobs.jsonl";
    auto r = run_optscale(run_args(llama.v1(), prm.root(), pool_path, spec, out,
                                   "--max-n-per-request 4 --extra-body '{\"logprobs\":true}'"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("one sample per request"), std::string::npos) << r.err;
    EXPECT_EQ(json::parse(r.out)["wasted_tokens"], 0);
    EXPECT_EQ(query(out.string() + ".db", "SELECT COUNT(*) FROM requests WHERE kind = 'generate' AND count = 4"), 8);
    expect_eval_figures_on_the_rest(ws.dir, pool, read_lines(out), spec, {});
  }
  {
    const fs::path out = ws.dir / "native.jsonl";
    auto r = run_optscale(run_args(llama.v1(), prm.root(), pool_path, spec, out, "--max-n-per-request 4 --n-mode native"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("use --n-mode auto"), std::string::npos) << r.err;
    EXPECT_LE(query(out.string() + ".db", "SELECT COUNT(*) FROM requests"), 8);  // no retry loop
  }
}

// vLLM without return_token_ids and SGLang give n choices without
// per-choice token counts: `auto` drops that first answer's choices (counted
// as waste) and falls back to one sample per request; `native` stops at once.
TEST(RealServers, VllmWithoutTokenIdsAndSglangGiveNoPerChoiceCounts) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 6, 8, 9);
  const auto pool = pool_lines(pool_path);
  MockServerProcess prm(ws.dir, pool_path, {}, "prm");
  for (const std::string name : {"vllm", "sglang"}) {
    MockServerProcess server(ws.dir, pool_path, {"--personality", name}, name);
    const fs::path out = ws.dir / (name + ".jsonl");
    auto r = run_optscale(run_args(server.v1(), prm.root(), pool_path, "bon:n=4", out));
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.err.find("without per-choice token counts"), std::string::npos) << name << ": " << r.err;
    EXPECT_GT(json::parse(r.out)["wasted_tokens"].get<long long>(), 0) << name;
    expect_eval_figures_on_the_rest(ws.dir, pool, read_lines(out), "bon:n=4", {});
    const fs::path native = ws.dir / (name + "-native.jsonl");
    auto n = run_optscale(run_args(server.v1(), prm.root(), pool_path, "bon:n=4", native, "--n-mode native"));
    EXPECT_EQ(n.exit_code, 1) << name;
    EXPECT_NE(n.err.find("use --n-mode auto"), std::string::npos) << name << ": " << n.err;
  }
}

// A batch whose scores are all the same (a reward head read wrongly scores
// everything alike) is warned about, once.
TEST(RealServers, ABatchOfIdenticalScoresIsWarnedOnce) {
  Workspace ws;
  std::vector<json> pool;
  for (int p = 0; p < 3; ++p) {
    json samples = json::array();
    for (int k = 0; k < 4; ++k)
      samples.push_back({{"text", "Sample " + std::to_string(k) + " of " + std::to_string(p) + ". \\boxed{1}"},
                         {"score", 0.5},
                         {"tokens", 10}});
    pool.push_back({{"id", "s" + std::to_string(p)}, {"problem", "Same " + std::to_string(p)}, {"gold", "1"},
                    {"samples", samples}});
  }
  const fs::path pool_path = ws.dir / "same.jsonl";
  write_lines(pool_path, pool);
  MockServerProcess mock(ws.dir, pool_path);
  auto r = run_optscale(run_args(mock.v1(), mock.root(), pool_path, "bon:n=4", ws.dir / "same-out.jsonl",
                                 "--scorer-kind classify --scorer-batch 4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string warning = "every score of a batch of 4 inputs is 0.5";
  const auto first = r.err.find(warning);
  EXPECT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(warning, first + 1), std::string::npos) << "warned more than once:\n" << r.err;
}

TEST(RealServers, SglangOneLogitClassifierIsReadFromItsRawLogit) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 10, 8, 5);
  const auto pool = pool_lines(pool_path);
  MockServerProcess sglang(ws.dir, pool_path, {"--personality", "sglang"});
  const std::string spec = "bon:n=4";
  const fs::path softmaxed = ws.dir / "v1.jsonl";
  auto bad = run_optscale(run_args(sglang.v1(), sglang.v1(), pool_path, spec, softmaxed, "--scorer-kind classify"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("probs [1.0]"), std::string::npos) << bad.err;
  const fs::path out = ws.dir / "root.jsonl";
  auto r = run_optscale(run_args(sglang.v1(), sglang.root(), pool_path, spec, out, "--scorer-kind classify"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto results = read_lines(out);
  for (std::size_t p = 0; p < results.size(); ++p)
    for (std::size_t k = 0; k < results[p]["scores"].size(); ++k)
      EXPECT_NEAR(results[p]["scores"][k].get<double>(), pool[p]["samples"][k]["score"].get<double>(), 1e-12);
  expect_eval_figures_on_the_rest(ws.dir, pool, results, spec, {});
}

TEST(RealServers, AnUnreadableJudgeIsCountedAndEitherStopsTheRunOrTakesTheChosenScore) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 6, 8, 6);
  MockServerProcess mock(ws.dir, pool_path, {"--judge-thinks"});
  const fs::path failing = ws.dir / "fail.jsonl";
  auto stopped = run_optscale(run_args(mock.v1(), mock.v1(), pool_path, "bon:n=2", failing, "--scorer-kind judge"));
  EXPECT_EQ(stopped.exit_code, 1);
  EXPECT_NE(stopped.err.find("unreadable judge reply"), std::string::npos) << stopped.err;
  EXPECT_NE(stopped.err.find("--max-failed-samples"), std::string::npos) << stopped.err;

  const fs::path out = ws.dir / "fallback.jsonl";
  auto r = run_optscale(
      run_args(mock.v1(), mock.v1(), pool_path, "bon:n=2", out, "--scorer-kind judge --judge-unreadable 0.5"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["unreadable_judgements"], summary["scored"]);
  EXPECT_NE(r.err.find("unreadable judge reply"), std::string::npos) << r.err;  // warned
  for (const json& line : read_lines(out))
    for (const json& score : line["scores"]) EXPECT_EQ(score.get<double>(), 0.5);
  EXPECT_EQ(query(out.string() + ".db", "SELECT COUNT(*) FROM sample_issues WHERE kind = 'unreadable'"),
            summary["scored"].get<long long>());
}

TEST(RealServers, OllamaIgnoresNAndTheRunFallsBack) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 8, 8, 7);
  MockServerProcess ollama(ws.dir, pool_path, {"--personality", "ollama"}, "ollama");
  MockServerProcess prm(ws.dir, pool_path, {}, "prm");
  const fs::path out = ws.dir / "ollama.jsonl";
  auto r = run_optscale(run_args(ollama.v1(), prm.root(), pool_path, "bon:n=4", out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("returned 1 of 4 requested choices"), std::string::npos) << r.err;
  expect_eval_figures_on_the_rest(ws.dir, pool_lines(pool_path), read_lines(out), "bon:n=4", {});
}

TEST(RealServers, UrlsRealServersRefuseAreRefusedWithAHint) {
  Workspace ws;
  const fs::path pool_path = simulated_pool(ws.dir, 2, 4, 8);
  MockServerProcess vllm(ws.dir, pool_path, {"--personality", "vllm"});
  // vLLM serves the OpenAI API under /v1 only ...
  auto root = run_optscale(run_args(vllm.root(), vllm.root(), pool_path, "bon:n=1", ws.dir / "a.jsonl"));
  EXPECT_EQ(root.exit_code, 1);
  EXPECT_NE(root.err.find("HTTP 404"), std::string::npos) << root.err;
  EXPECT_NE(root.err.find("ending in /v1"), std::string::npos) << root.err;
  // ... and /pooling at the root only.
  auto pooling = run_optscale(run_args(vllm.v1(), vllm.v1(), pool_path, "bon:n=1", ws.dir / "b.jsonl",
                                       "--extra-body '{\"return_token_ids\":true}'"));
  EXPECT_EQ(pooling.exit_code, 1);
  EXPECT_NE(pooling.err.find("/v1/pooling"), std::string::npos) << pooling.err;
  // The completions API needs an explicit length.
  auto completions = run_optscale(run_args(vllm.v1(), vllm.root(), pool_path, "bon:n=1", ws.dir / "c.jsonl",
                                           "--api completions"));
  EXPECT_EQ(completions.exit_code, 1);
  EXPECT_NE(completions.err.find("--api completions needs --max-tokens"), std::string::npos) << completions.err;
}

// Every personality as the generator, with its scorer (vLLM: its own PRM;
// SGLang: its own one-logit reward model at the root; llama.cpp, Ollama: a
// vLLM PRM beside them), all refusing inputs over 512 tokens: the run over
// the long-sample pool completes with every sample scored or failed with its
// reason and `optscale eval`'s figures on the other problems; an unknown
// model stops the run where the server checks names (vLLM, Ollama) and is
// served where it does not (llama.cpp, SGLang).
struct RunSetup {
  std::string name;
  bool scores_itself;
  std::string scorer_kind;
  bool checks_model;
};

class RunAgainst : public ::testing::TestWithParam<RunSetup> {};

TEST_P(RunAgainst, LongSamplesAndAnUnknownModel) {
  const RunSetup& setup = GetParam();
  Workspace ws;
  const auto pool = long_sample_pool();
  const fs::path pool_path = ws.dir / "pool.jsonl";
  write_lines(pool_path, pool);
  MockServerProcess server(ws.dir, pool_path, {"--personality", setup.name, "--max-model-len", "512"}, "server");
  std::optional<MockServerProcess> prm;
  if (!setup.scores_itself)
    prm.emplace(ws.dir, pool_path, std::vector<std::string>{"--personality", "vllm", "--max-model-len", "512"}, "prm");
  const std::string scorer = prm ? prm->root() : server.root();
  const std::string kind = " --scorer-kind " + (prm ? std::string("pooling") : setup.scorer_kind);
  const std::string spec = "bon:n=6";
  const fs::path out = ws.dir / "long.jsonl";
  auto r = run_optscale(run_args(server.v1(), scorer, pool_path, spec, out,
                                 "--scorer-max-input-tokens 512 --max-failed-samples 10" + kind));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto results = read_lines(out);
  ASSERT_EQ(results.size(), pool.size());
  EXPECT_GT(json::parse(r.out)["truncated_inputs"].get<long long>(), 0);
  EXPECT_EQ(json::parse(r.out)["failed_samples"], 1);  // r4's giant sample
  expect_every_sample_scored_or_failed(out.string() + ".db");
  expect_eval_figures_on_the_rest(ws.dir, pool, results, spec, kLongProblems);

  MockServerProcess named(ws.dir, pool_path, {"--personality", setup.name, "--model", "served"}, "named");
  const fs::path other = ws.dir / "other.jsonl";
  auto unknown = run_optscale(run_args(named.v1(), scorer, pool_path, "bon:n=1", other, kind));
  if (setup.checks_model) {
    EXPECT_EQ(unknown.exit_code, 1) << unknown.err;
    EXPECT_NE(unknown.err.find("HTTP 404"), std::string::npos) << unknown.err;
  } else {
    EXPECT_EQ(unknown.exit_code, 0) << unknown.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Personalities, RunAgainst,
                         ::testing::Values(RunSetup{"vllm", true, "pooling", true},
                                           RunSetup{"sglang", true, "classify", false},
                                           RunSetup{"llama.cpp", false, "pooling", false},
                                           RunSetup{"ollama", false, "pooling", true}),
                         [](const ::testing::TestParamInfo<RunSetup>& info) {
                           return info.param.name == "llama.cpp" ? std::string("llama_cpp") : info.param.name;
                         });

}  // namespace
}  // namespace optscale::testing
