// What the replay needs to know about each pool sample before any strategy
// runs: its answer class (for voting) and whether it is correct (for
// scoring), computed once per problem and shared by every strategy and order.
#pragma once
#include <string>
#include <vector>

#include "optscale/answers/answer_classes.hpp"
#include "optscale/pool/pool.hpp"

namespace optscale::replay {

struct GradedProblem {
  // Per sample, in pool order: the class id (classes numbered by first
  // appearance in pool order; -1 = no class), correctness and emptiness.
  std::vector<int> answer_class;
  std::vector<char> correct;
  std::vector<char> empty;   // the completion text is present and ""
  int class_count = 0;
};

// A sample's answer: its `answer` field, else answers::extract_answer(text),
// else none.
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
