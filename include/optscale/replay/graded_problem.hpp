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

}  // namespace optscale::replay
