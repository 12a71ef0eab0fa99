#include "optscale/replay/graded_problem.hpp"

#include <algorithm>
#include <optional>

#include "optscale/answers/answer_classes.hpp"
#include "optscale/answers/answers.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {

std::optional<std::string> sample_answer(const pool::Sample& sample) { return pool::sample_answer(sample); }

GradedProblem grade_problem(const pool::Problem& problem, answers::AnswerGrouping grouping) {
  const std::size_t n = problem.samples.size();
  GradedProblem graded{answers::AnswerTable(grouping), {}, {}, {}};
  graded.answer_id.assign(n, -1);
  graded.correct.assign(n, 0);
  graded.empty.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const pool::Sample& sample = problem.samples[i];
    graded.answer_id[i] = graded.answers.intern(pool::sample_answer(sample));
    graded.empty[i] = pool::empty_completion(sample);
  }

  // Correctness: the sample's own label, else equivalence with gold (once per key).
  std::vector<std::optional<bool>> key_correct(static_cast<std::size_t>(graded.answers.key_count()));
  for (std::size_t i = 0; i < n; ++i) {
    const pool::Sample& sample = problem.samples[i];
    if (sample.correct) {
      graded.correct[i] = *sample.correct;
      continue;
    }
    require(problem.gold.has_value(),
            [&] { return "problem '" + problem.id + "' sample " + std::to_string(i) + " (0-based)"; },
            "cannot grade: the sample has no `correct` field and the problem has no `gold`");
    const int id = graded.answer_id[i];
    if (id < 0) continue;  // no answer is never correct
    const std::string& answer = graded.answers.text(id);
    const int key = graded.answers.key(id);
    if (key < 0) {  // an answer without a voting key: grade it alone
      graded.correct[i] = answers::answers_equivalent(answer, *problem.gold);
      continue;
    }
    // Samples sharing a key (the same string, or the same canonical key, which
    // implies equivalence) share their verdict: one gold check per key.
    auto& cached = key_correct[static_cast<std::size_t>(key)];
    if (!cached) cached = answers::answers_equivalent(answer, *problem.gold);
    graded.correct[i] = *cached;
  }
  return graded;
}

void add_label_conflicts(const pool::Problem& problem, const GradedProblem& graded, LabelConflicts& out) {
  // Classes as a vote over the whole pool order forms them.
  answers::AnswerTable table = graded.answers;
  answers::AnswerClasses grouping(table);
  for (int id : graded.answer_id) grouping.add_interned(id);
  const std::vector<int>& answer_class = grouping.classes();
  int class_count = 0;
  for (int c : answer_class) class_count = std::max(class_count, c + 1);
  std::vector<int> right(static_cast<std::size_t>(class_count), 0), wrong = right;
  for (std::size_t i = 0; i < answer_class.size(); ++i) {
    const int c = answer_class[i];
    if (c >= 0) ++(graded.correct[i] ? right : wrong)[static_cast<std::size_t>(c)];
  }
  bool counted = false;
  for (std::size_t c = 0; c < right.size(); ++c) {
    if (right[c] == 0 || wrong[c] == 0) continue;
    ++out.classes;
    if (!counted) ++out.problems;
    counted = true;
    if (out.example.empty()) {
      const auto first = std::find(answer_class.begin(), answer_class.end(), static_cast<int>(c));
      const auto answer = pool::sample_answer(problem.samples[static_cast<std::size_t>(first - answer_class.begin())]);
      out.example = "problem '" + problem.id + "': answer \"" + answer.value_or("") + "\": " +
                    std::to_string(right[c]) + " correct, " + std::to_string(wrong[c]) + " incorrect";
    }
  }
}

std::string label_conflict_warning(const LabelConflicts& conflicts, answers::AnswerGrouping grouping) {
  if (conflicts.classes == 0) return "";
  return "warning: " + std::to_string(conflicts.classes) + " answer class" +
         (conflicts.classes == 1 ? "" : "es") + " in " + std::to_string(conflicts.problems) + " problem" +
         (conflicts.problems == 1 ? "" : "s") +
         (conflicts.classes == 1 ? " holds" : " hold") + " both correct and incorrect samples (the pool's `correct` labels are stricter than the '" +
         answers::to_string(grouping) + "' answer grouping the votes use), e.g. " + conflicts.example +
         "; votes count such a class as one answer, accuracy follows each sample's label";
}

}  // namespace optscale::replay
