// What the replay needs to know about each pool sample before any strategy
// runs: its answer class (for voting) and whether it is correct (for
// scoring), computed once per problem and shared by every strategy and order.
#pragma once
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"

namespace optscale::replay {

// How answers are grouped into classes for voting.
enum class AnswerGrouping {
  // Samples whose answers share answers::canonical_key, then keys that are
  // answers::answers_equivalent, form one class; samples without an answer
  // (or whose answer has an empty key) get no class (-1) and cannot win a
  // vote. The default.
  equivalent,
  // The exact extracted strings (the reference's self-consistency, paper-spec
  // §5). Samples without an answer get -1 here too: whether "None" votes, as
  // in the reference, is the strategies' `none_votes=1` (docs/strategies.md).
  raw,
};

std::string to_string(AnswerGrouping grouping);
// Parses "equivalent" / "raw"; throws optscale::Error naming the bad value.
AnswerGrouping parse_answer_grouping(const std::string& text);

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
GradedProblem grade_problem(const pool::Problem& problem, AnswerGrouping grouping);

}  // namespace optscale::replay
