// What the replay needs to know about each pool sample before any strategy
// runs: its answer (interned in the problem's answer table, whose keys and
// equivalence verdicts every draw order and strategy share) and whether it
// is correct (for scoring), computed once per problem. Classes are not
// numbered here: each stream numbers them in its own draw order, per prefix
// (stream.hpp).
#pragma once
#include <string>
#include <vector>

#include "optscale/answers/answer_table.hpp"
#include "optscale/pool/pool.hpp"

namespace optscale::replay {

struct GradedProblem {
  answers::AnswerTable answers;   // the problem's distinct answers
  // Per sample, in pool order: its answer's id in `answers` (-1 = none),
  // correctness and emptiness.
  std::vector<int> answer_id;
  std::vector<char> correct;
  std::vector<char> empty;   // the completion text is present and ""
};

// A sample's answer: its `answer` field, else answers::extract_answer(text)
// (or the answer extracted when the text was dropped), else none
// (pool::sample_answer).
std::optional<std::string> sample_answer(const pool::Sample& sample);

// Grades every sample of one problem. A sample is correct when its `correct`
// field says so, else when its answer is equivalent to the problem's gold.
// Throws optscale::Error naming the problem and the sample when a sample has
// neither a `correct` field nor a gold answer to compare with.
GradedProblem grade_problem(const pool::Problem& problem, answers::AnswerGrouping grouping);

// Answer classes that hold both correct and incorrect samples: the pool's
// `correct` labels come from a stricter grader than the vote grouping, so a
// vote can pick a class that is partly right. Summed over problems, with the
// first one found as an example ("problem 'ID': answer "X": 3 correct, 2
// incorrect").
struct LabelConflicts {
  int classes = 0, problems = 0;
  std::string example;
};
void add_label_conflicts(const pool::Problem& problem, const GradedProblem& graded, LabelConflicts& out);

// The warning eval and tune print (empty when there is no conflict).
std::string label_conflict_warning(const LabelConflicts& conflicts, answers::AnswerGrouping grouping);

}  // namespace optscale::replay
