// Pool files (docs/pool-format.md): the input is a JSONL pool. Contract:
// read_pool either reads it or throws optscale::Error; validate_pool_file
// finds a problem exactly when read_pool refuses; a pool that reads is
// written and read back unchanged (ids, scores, tokens, counts). Each line
// reads alike through the file reader (simdjson first) and the records
// reader (parse_json only): the same problem or the same message; read with
// texts dropped, the pool has the same answers and empty completions.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/util/error.hpp"

using namespace optscale;

namespace {

// A reader's verdict on a one-line pool: the problem as written back, or the
// message after `prefix`.
std::string verdict(const std::function<pool::Pool()>& read, const std::string& prefix) {
  try {
    const pool::Pool pool = read();
    return "read " + pool::pool_line(pool.problems.at(0));
  } catch (const Error& e) {
    const std::string message = e.what();
    const auto at = message.find(prefix);
    return at == std::string::npos ? message : message.substr(at + prefix.size());
  }
}

void check_line_alike_on_both_paths(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  // Written as `line` + "\n", the file reader sees it without one more
  // trailing '\r' (CRLF): the records reader must be given the same text.
  const std::string written(line);
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  const std::filesystem::path& one = fuzz::write_input(written + "\n", ".line.jsonl");
  const std::string fast = verdict([&] { return pool::read_pool(one); }, ":1: ");
  const std::string slow =
      verdict([&] { return pool::read_pool_records(std::vector<std::string>{std::string(line)}, "pool"); }, "pool[0]: ");
  FUZZ_CHECK(fast == slow, "file reader: " + fast.substr(0, 200) + "\nrecords reader: " + slow.substr(0, 200));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  for (std::size_t start = 0, lines = 0; start < input.size() && lines < 8; ++lines) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    check_line_alike_on_both_paths(input.substr(start, end - start));
    start = end + 1;
  }
  const std::filesystem::path& path = fuzz::write_input(input, ".jsonl");
  pool::Pool pool;
  const bool read = fuzz::refused_or_done([&] { pool = pool::read_pool(path); });
  std::vector<std::string> problems;
  fuzz::refused_or_done([&] { problems = pool::validate_pool_file(path, 1); });
  FUZZ_CHECK(read == problems.empty(), read ? "validate found: " + problems.front() : "validate found nothing");
  if (!read) return 0;

  pool::Pool dropped;
  FUZZ_CHECK(fuzz::refused_or_done([&] { dropped = pool::read_pool(path, {pool::Texts::drop}); }),
             "a pool that reads also reads without its texts");
  for (std::size_t i = 0; i < pool.problems.size(); ++i) {
    for (std::size_t k = 0; k < pool.problems[i].samples.size(); ++k) {
      const pool::Sample &s = pool.problems[i].samples[k], &d = dropped.problems[i].samples[k];
      FUZZ_CHECK(!d.text && pool::sample_answer(s) == pool::sample_answer(d) &&
                     pool::empty_completion(s) == pool::empty_completion(d) && pool::has_text(s) == pool::has_text(d),
                 "problem " + pool.problems[i].id + ": sample " + std::to_string(k) + " without its text");
    }
  }

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
