// What `optscale mock-server` serves: a pool's problems and samples, indexed
// so that a request can be mapped back to its problem (by the problem text in
// the prompt) and a scoring request to its sample (by the sample's text).
#pragma once
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::mock {

struct MockSample {
  std::string text;                  // the pool's text, or a synthesised one (see below)
  double score = 0.0;
  std::vector<double> step_scores;   // the pool's per-step rewards (may be empty)
  long long tokens = 0;
};

struct MockProblem {
  std::string id;
  std::string text;
  std::vector<MockSample> samples;
};

// A request the mock cannot map to a problem or sample; the service answers 400.
class MockLookupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MockPoolIndex {
 public:
  // A sample without text gets "Sample <k> of problem <id>.\n\nThe answer is
  // \boxed{<answer>}." (without the boxed sentence when the pool has no
  // answer either), so that the live engine extracts the pool's answer.
  explicit MockPoolIndex(const pool::Pool& pool);

  std::size_t size() const { return problems_.size(); }
  const MockProblem& problem(std::size_t index) const { return problems_.at(index); }

  // The problem a prompt asks: the problem whose text equals `exact` (e.g. the
  // last user message), else the longest problem text contained in
  // `haystack` (a templated prompt). Throws MockLookupError when none matches
  // or when the text is shared by several problems.
  std::size_t find_problem(std::string_view exact, std::string_view haystack) const;

  // The sample of `problem` whose text equals `text`. Throws MockLookupError.
  std::size_t find_sample(std::size_t problem, std::string_view text) const;

  // The longest sample text of `problem` contained in `haystack` (a judging
  // prompt quotes the solution); -1 when none is.
  long find_sample_within(std::size_t problem, std::string_view haystack) const;

  // Human-readable notes about the pool that limit what the mock can serve
  // (problems without text, problem texts shared by several problems, equal
  // sample texts with different scores), for the server's start-up log.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<MockProblem> problems_;
  std::unordered_map<std::string_view, std::size_t> problem_by_text_;
  std::unordered_map<std::string_view, std::vector<std::string>> ambiguous_texts_;  // text -> ids
  std::vector<std::unordered_map<std::string_view, std::size_t>> sample_by_text_;
  std::vector<std::string> warnings_;
  // Substring searches are slow with many problems; remember their answers.
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::size_t> haystack_cache_;
};

}  // namespace optscale::mock
