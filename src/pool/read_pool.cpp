// Reading and validating JSON Lines pools, streaming: util::LineReader hands
// out one block of whole lines at a time; the lines of a block are parsed on
// up to `threads` threads (lines are independent), then checked in file order
// (duplicate ids, the first error) and handed on. Each line goes through the
// fast path (pool_line_fast.hpp) and, when that declines, through parse_json
// and problem_from_json, which name file, line and field in every message.
#include <algorithm>
#include <atomic>
#include <exception>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>

#include "optscale/pool/pool.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/fast_json.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/json_limits.hpp"
#include "optscale/util/line_reader.hpp"
#include "pool_json.hpp"
#include "pool_line_fast.hpp"

namespace optscale::pool {
namespace {

// The line's JSON (with the depth and number limits of util::parse_json), or
// nullopt and the message without file and line.
std::optional<nlohmann::json> parse_line(std::string_view line, std::string& error) {
  using Kind = util::JsonInputError::Kind;
  try {
    return util::parse_json(line, "");
  } catch (const util::JsonInputError& original) {
    if (original.kind() != Kind::syntax) {
      error = original.reason();
      return std::nullopt;
    }
    try {
      const std::string substituted = detail::substitute_non_finite_literals(line);
      if (substituted.size() != line.size()) return util::parse_json(substituted, "");
    } catch (const util::JsonInputError& again) {
      if (again.kind() != Kind::syntax) {
        error = again.reason();
        return std::nullopt;
      }
    }
    error = "invalid JSON: " + original.reason();
    return std::nullopt;
  }
}

// One record parsed and checked on its own: the problem and its value-rule
// violations, or the one message (JSON or field) that stopped it. Messages
// are without the record's position.
struct Parsed {
  std::optional<Problem> problem;
  std::vector<std::string> errors;
};

void drop_texts(Problem& problem) {
  for (Sample& sample : problem.samples) {
    if (!sample.text) continue;
    sample.dropped = detail::digest_text(*sample.text, sample.answer.has_value());
    sample.text.reset();
  }
}

// `padded`: the text has util::kFastJsonPadding readable bytes past its end
// (else the fast path copies it once).
Parsed parse_record(std::string_view text, bool padded, util::FastJson& fast, Texts texts) {
  Parsed out;
  if (padded) out.problem = detail::fast_problem_from_line(text, fast, texts);
  if (!out.problem) {
    std::string parse_error;
    auto json = parse_line(text, parse_error);
    if (!json) {
      out.errors.push_back(std::move(parse_error));
      return out;
    }
    try {
      out.problem = detail::problem_from_json(std::move(*json));
    } catch (const detail::FieldError& e) {
      out.errors.push_back(e.field() + ": " + e.what());
      return out;
    }
  }
  out.errors = problem_violations(*out.problem);
  if (out.errors.empty() && texts == Texts::drop) drop_texts(*out.problem);
  return out;
}

// Hands a parsed record on: each error to `report` (which returns whether to
// carry on), a valid problem with an id not seen before to `accept`. Returns
// false when told to stop. `where` prefixes every message; `first_of_id` maps
// ids seen so far to where they were first, named by `position` ("line 3",
// "pool[3]").
bool take_record(Parsed&& parsed, const std::string& where, const std::string& position,
                 std::unordered_map<std::string, std::string>& first_of_id,
                 const std::function<void(Problem&&)>& accept, const std::function<bool(std::string)>& report) {
  if (!parsed.problem) return report(where + parsed.errors.front());
  for (std::string& violation : parsed.errors) {
    if (!report(where + violation)) return false;
  }
  bool valid = parsed.errors.empty();
  const Problem& problem = *parsed.problem;
  if (!problem.id.empty()) {
    auto [it, inserted] = first_of_id.emplace(problem.id, position);
    if (!inserted) {
      valid = false;
      if (!report(where + "id: duplicate id \"" + problem.id + "\" (first on " + it->second + ")")) return false;
    }
  }
  if (valid) accept(std::move(*parsed.problem));
  return true;
}

int thread_count(int asked) {
  if (asked > 0) return asked;
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
}

// Parses `lines` into `out` on up to `threads` threads, each with its own
// parser; blank lines stay unparsed.
void parse_lines(const std::vector<util::InputLine>& lines, std::vector<Parsed>& out,
                 std::vector<std::unique_ptr<util::FastJson>>& parsers, Texts texts) {
  out.clear();
  out.resize(lines.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failures(parsers.size());
  auto work = [&](std::size_t worker) {
    try {
      for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < lines.size();) {
        const std::string_view line = lines[i].text;
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        out[i] = parse_record(line, true, *parsers[worker], texts);
      }
    } catch (...) {  // out of memory, say: rethrown on the calling thread
      failures[worker] = std::current_exception();
      next = lines.size();
    }
  };
  {
    const std::size_t helpers = std::min(parsers.size() - 1, lines.size() / 2);
    std::vector<std::jthread> threads;
    for (std::size_t t = 1; t <= helpers; ++t) threads.emplace_back(work, t);
    work(0);
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

// Walks the file's non-blank lines; hands each valid problem to `accept` and
// each error message to `report`, which returns whether to carry on.
void scan_pool(const std::filesystem::path& path, const ReadOptions& options,
               const std::function<void(Problem&&)>& accept, const std::function<bool(std::string)>& report) {
  std::ifstream in = open_for_reading(path);
  const std::string file = path.string();
  util::LineReader reader(in, util::LineReader::block_for_file(path));
  std::vector<std::unique_ptr<util::FastJson>> parsers(static_cast<std::size_t>(thread_count(options.threads)));
  for (auto& parser : parsers) parser = std::make_unique<util::FastJson>();
  std::unordered_map<std::string, std::string> first_of_id;
  std::vector<Parsed> parsed;
  std::size_t nonblank_lines = 0;
  for (;;) {
    const std::vector<util::InputLine>& lines = reader.next(file);
    if (lines.empty()) break;
    parse_lines(lines, parsed, parsers, options.texts);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].text.find_first_not_of(" \t") == std::string_view::npos) continue;
      ++nonblank_lines;
      const std::string number = std::to_string(lines[i].number);
      if (!take_record(std::move(parsed[i]), file + ":" + number + ": ", "line " + number, first_of_id, accept,
                       report))
        return;
    }
  }
  if (nonblank_lines == 0) report(file + ": holds no problems (expected one JSON object per line)");
}

[[noreturn]] bool throw_message(std::string message) { throw Error(std::move(message)); }

}  // namespace

Pool read_pool(const std::filesystem::path& path, const ReadOptions& options) {
  Pool pool;
  scan_pool(path, options, [&](Problem&& p) { pool.problems.push_back(std::move(p)); }, throw_message);
  return pool;
}

void for_each_problem(const std::filesystem::path& path, const ReadOptions& options,
                      const std::function<void(Problem&&)>& visit) {
  scan_pool(path, options, visit, throw_message);
}

Pool read_pool_records(std::span<const std::string> records, const std::string& name) {
  if (records.empty()) throw Error(name + ": holds no problems");
  Pool pool;
  std::unordered_map<std::string, std::string> first_of_id;
  util::FastJson parser;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string position = name + "[" + std::to_string(i) + "]";
    take_record(
        parse_record(records[i], false, parser, Texts::keep), position + ": ", position, first_of_id,
        [&](Problem&& p) { pool.problems.push_back(std::move(p)); }, throw_message);
  }
  return pool;
}

std::vector<std::string> validate_pool_file(const std::filesystem::path& path, std::size_t max_errors,
                                            const ReadOptions& options,
                                            const std::function<void(Problem&&)>& valid) {
  std::vector<std::string> errors;
  scan_pool(
      path, options,
      [&](Problem&& problem) {
        if (valid) valid(std::move(problem));
      },
      [&](std::string message) {
        errors.push_back(std::move(message));
        return max_errors == 0 || errors.size() < max_errors;
      });
  return errors;
}

}  // namespace optscale::pool
