#include "optscale/replay/graded_problem.hpp"

#include <map>
#include <numeric>
#include <optional>

#include "optscale/answers/answers.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

// Classes over the distinct keys of one problem, merged when a key's
// representative is equivalent to another class's representative.
class ClassMerger {
 public:
  int find(int c) {
    while (parent_[static_cast<std::size_t>(c)] != c) c = parent_[static_cast<std::size_t>(c)];
    return c;
  }
  int add(const std::string& representative) {
    const int id = static_cast<int>(parent_.size());
    parent_.push_back(id);
    std::vector<int> matches;
    for (int c = 0; c < id; ++c) {
      if (find(c) == c && answers::answers_equivalent(representatives_[static_cast<std::size_t>(c)],
                                                      representative))
        matches.push_back(c);
    }
    representatives_.push_back(representative);
    // Merge into the earliest matching class so numbering stays by first appearance.
    for (int c : matches) parent_[static_cast<std::size_t>(find(c))] = matches.front();
    if (!matches.empty()) parent_[static_cast<std::size_t>(id)] = matches.front();
    return id;
  }

 private:
  std::vector<int> parent_;
  std::vector<std::string> representatives_;
};

}  // namespace

std::optional<std::string> sample_answer(const pool::Sample& sample) {
  if (sample.answer) return sample.answer;
  if (sample.text) return answers::extract_answer(*sample.text);
  return std::nullopt;
}

GradedProblem grade_problem(const pool::Problem& problem, AnswerGrouping grouping) {
  const std::size_t n = problem.samples.size();
  GradedProblem graded;
  graded.answer_class.assign(n, -1);
  graded.correct.assign(n, 0);
  graded.empty.assign(n, 0);

  std::vector<std::optional<std::string>> answer(n);
  for (std::size_t i = 0; i < n; ++i) {
    const pool::Sample& sample = problem.samples[i];
    answer[i] = sample_answer(sample);
    graded.empty[i] = sample.text && sample.text->empty();
  }

  // Group samples into keys (raw: the string itself; equivalent: canonical key).
  std::map<std::string, int> key_ids;
  std::vector<int> key_of_sample(n, -1);
  std::vector<std::string> key_representative;
  for (std::size_t i = 0; i < n; ++i) {
    if (!answer[i]) continue;  // no answer: class -1 (strategies' none_votes decides)
    const std::string key =
        grouping == AnswerGrouping::raw ? *answer[i] : answers::canonical_key(*answer[i]);
    // An empty canonical key matches nothing (answers.hpp): no class, no vote.
    if (grouping == AnswerGrouping::equivalent && key.empty()) continue;
    auto [it, inserted] = key_ids.emplace(key, static_cast<int>(key_representative.size()));
    if (inserted) key_representative.push_back(*answer[i]);
    key_of_sample[i] = it->second;
  }

  // Key -> class. Raw keys are classes; equivalent keys are merged further.
  std::vector<int> class_of_key(key_representative.size());
  if (grouping == AnswerGrouping::raw) {
    std::iota(class_of_key.begin(), class_of_key.end(), 0);
  } else {
    ClassMerger merger;
    for (const std::string& representative : key_representative) merger.add(representative);
    for (std::size_t k = 0; k < class_of_key.size(); ++k)
      class_of_key[k] = merger.find(static_cast<int>(k));
  }
  // Renumber classes densely by first appearance in pool order.
  std::vector<int> dense(key_representative.size(), -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (key_of_sample[i] < 0) continue;
    int& id = dense[static_cast<std::size_t>(class_of_key[static_cast<std::size_t>(key_of_sample[i])])];
    if (id < 0) id = graded.class_count++;
    graded.answer_class[i] = id;
  }

  // Correctness: the sample's own label, else equivalence with gold (once per key).
  std::vector<std::optional<bool>> key_correct(key_representative.size());
  for (std::size_t i = 0; i < n; ++i) {
    const pool::Sample& sample = problem.samples[i];
    if (sample.correct) {
      graded.correct[i] = *sample.correct;
      continue;
    }
    require(problem.gold.has_value(),
            "problem '" + problem.id + "' sample " + std::to_string(i) + " (0-based)",
            "cannot grade: the sample has no `correct` field and the problem has no `gold`");
    if (!answer[i]) continue;  // no answer is never correct
    if (key_of_sample[i] < 0) {  // an answer without a voting key: grade it alone
      graded.correct[i] = answers::answers_equivalent(*answer[i], *problem.gold);
      continue;
    }
    // Samples sharing a key (the same string, or the same canonical key, which
    // implies equivalence) share their verdict: one gold check per key.
    auto& cached = key_correct[static_cast<std::size_t>(key_of_sample[i])];
    if (!cached) cached = answers::answers_equivalent(*answer[i], *problem.gold);
    graded.correct[i] = *cached;
  }
  return graded;
}

}  // namespace optscale::replay
