#include "optscale/replay/graded_problem.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {

std::string to_string(AnswerGrouping grouping) {
  return grouping == AnswerGrouping::equivalent ? "equivalent" : "raw";
}

AnswerGrouping parse_answer_grouping(const std::string& text) {
  if (text == "equivalent") return AnswerGrouping::equivalent;
  if (text == "raw") return AnswerGrouping::raw;
  throw Error("--answer-grouping: expected 'equivalent' or 'raw', got '" + text + "'");
}

}  // namespace optscale::replay
