// Pool files (docs/pool-format.md): the input is a JSONL pool. Contract:
// read_pool either reads it or throws optscale::Error; validate_pool_file
// finds a problem exactly when read_pool refuses; a pool that reads is
// written and read back unchanged (ids, scores, tokens, counts).
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/pool/pool.hpp"

using namespace optscale;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& path = fuzz::write_input(fuzz::as_text(data, size), ".jsonl");
  pool::Pool pool;
  const bool read = fuzz::refused_or_done([&] { pool = pool::read_pool(path); });
  std::vector<std::string> problems;
  fuzz::refused_or_done([&] { problems = pool::validate_pool_file(path, 1); });
  FUZZ_CHECK(read == problems.empty(), read ? "validate found: " + problems.front() : "validate found nothing");
  if (!read) return 0;

  const std::filesystem::path copy = path.string() + ".copy.jsonl";
  pool::write_pool(pool, copy);
  const pool::Pool again = pool::read_pool(copy);
  std::filesystem::remove(copy);
  FUZZ_CHECK(again.problems.size() == pool.problems.size(), "problem count survives a round trip");
  for (std::size_t i = 0; i < pool.problems.size(); ++i) {
    const pool::Problem &p = pool.problems[i], &q = again.problems[i];
    FUZZ_CHECK(p.id == q.id && p.problem == q.problem && p.gold == q.gold, "problem " + p.id);
    FUZZ_CHECK(p.samples.size() == q.samples.size(), "problem " + p.id + ": sample count");
    for (std::size_t k = 0; k < p.samples.size(); ++k) {
      const pool::Sample &s = p.samples[k], &t = q.samples[k];
      FUZZ_CHECK(s.score == t.score && s.tokens == t.tokens && s.text == t.text && s.answer == t.answer &&
                     s.correct == t.correct && s.step_scores == t.step_scores,
                 "problem " + p.id + ": sample " + std::to_string(k));
      FUZZ_CHECK(s.score >= 0.0 && s.score <= 1.0 && s.tokens >= 0, "the reader's value rules");
    }
  }
  return 0;
}
