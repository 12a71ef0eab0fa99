#include "optscale/mock/mock_pool_index.hpp"

#include <algorithm>

namespace optscale::mock {
namespace {

std::string synthesised_text(std::size_t index, const pool::Problem& problem,
                             const pool::Sample& sample) {
  std::string text = "Sample " + std::to_string(index) + " of problem " + problem.id + ".";
  if (sample.answer) text += "\n\nThe answer is \\boxed{" + *sample.answer + "}.";
  return text;
}

}  // namespace

MockPoolIndex::MockPoolIndex(const pool::Pool& pool) {
  problems_.reserve(pool.problems.size());
  for (const pool::Problem& p : pool.problems) {
    MockProblem problem{p.id, p.problem, {}};
    problem.samples.reserve(p.samples.size());
    for (std::size_t k = 0; k < p.samples.size(); ++k) {
      const pool::Sample& s = p.samples[k];
      problem.samples.push_back(
          MockSample{s.text ? *s.text : synthesised_text(k, p, s), s.score, s.step_scores, s.tokens});
    }
    problems_.push_back(std::move(problem));
  }
  // Views into problems_ stay valid: the vector is not resized from here on.
  std::size_t untexted = 0, score_clashes = 0;
  sample_by_text_.resize(problems_.size());
  for (std::size_t i = 0; i < problems_.size(); ++i) {
    const MockProblem& problem = problems_[i];
    if (problem.text.empty()) {
      ++untexted;
    } else if (auto [it, inserted] = problem_by_text_.emplace(problem.text, i); !inserted) {
      auto& ids = ambiguous_texts_[problem.text];
      if (ids.empty()) ids.push_back(problems_[it->second].id);
      ids.push_back(problem.id);
    }
    for (std::size_t k = 0; k < problem.samples.size(); ++k) {
      auto [it, inserted] = sample_by_text_[i].emplace(problem.samples[k].text, k);
      if (!inserted && problem.samples[it->second].score != problem.samples[k].score) ++score_clashes;
    }
  }
  if (untexted > 0)
    warnings_.push_back(std::to_string(untexted) +
                        " problem(s) have no text; no request can reach them");
  if (!ambiguous_texts_.empty())
    warnings_.push_back(std::to_string(ambiguous_texts_.size()) +
                        " problem text(s) are shared by several problems (e.g. ids " +
                        ambiguous_texts_.begin()->second.front() + ", " +
                        ambiguous_texts_.begin()->second.back() +
                        "); requests for them are refused");
  if (score_clashes > 0)
    warnings_.push_back(std::to_string(score_clashes) +
                        " sample(s) repeat an earlier sample's text with a different score; the "
                        "scorer returns the first one's score for that text");
}

std::size_t MockPoolIndex::find_problem(std::string_view exact, std::string_view haystack) const {
  auto resolve = [&](std::size_t index) {
    const std::string& text = problems_[index].text;
    if (auto it = ambiguous_texts_.find(text); it != ambiguous_texts_.end()) {
      std::string ids;
      for (const auto& id : it->second) ids += (ids.empty() ? "" : ", ") + id;
      throw MockLookupError("the prompt's problem text is shared by problems " + ids +
                            " of the pool; the mock cannot tell which one is asked");
    }
    return index;
  };
  if (auto it = problem_by_text_.find(exact); it != problem_by_text_.end()) return resolve(it->second);
  if (auto it = problem_by_text_.find(haystack); it != problem_by_text_.end())
    return resolve(it->second);
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = haystack_cache_.find(std::string(haystack)); it != haystack_cache_.end())
      return resolve(it->second);
  }
  std::size_t best = problems_.size(), best_length = 0;
  for (const auto& [text, index] : problem_by_text_) {
    // Ties between equally long texts go to the earlier problem (deterministic).
    bool longer = text.size() > best_length || (text.size() == best_length && index < best);
    if (longer && haystack.find(text) != std::string_view::npos) {
      best = index;
      best_length = text.size();
    }
  }
  if (best == problems_.size())
    throw MockLookupError("no problem of the pool occurs in the prompt (" +
                          std::to_string(haystack.size()) + " characters)");
  {
    std::lock_guard lock(cache_mutex_);
    if (haystack_cache_.size() > 100000) haystack_cache_.clear();
    haystack_cache_.emplace(std::string(haystack), best);
  }
  return resolve(best);
}

std::size_t MockPoolIndex::find_sample(std::size_t problem, std::string_view text) const {
  const auto& by_text = sample_by_text_.at(problem);
  if (auto it = by_text.find(text); it != by_text.end()) return it->second;
  throw MockLookupError("the text to score (" + std::to_string(text.size()) +
                        " characters) is none of the samples of problem " + problems_[problem].id);
}

long MockPoolIndex::find_sample_within(std::size_t problem, std::string_view haystack) const {
  long best = -1;
  std::size_t best_length = 0;
  const auto& samples = problems_.at(problem).samples;
  for (std::size_t k = 0; k < samples.size(); ++k) {
    const std::string& text = samples[k].text;
    if (!text.empty() && text.size() > best_length && haystack.find(text) != std::string_view::npos) {
      best = static_cast<long>(k);
      best_length = text.size();
    }
  }
  return best;
}

}  // namespace optscale::mock
