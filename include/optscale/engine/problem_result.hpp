// One problem's outcome in a live run: the result line `optscale run` writes
// (and the store keeps) per problem, and what the run summary counts.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace optscale::engine {

struct RunSummary;

struct ProblemResult {
  std::string id;
  std::optional<std::string> answer;  // the selected sample's extracted answer; none: no pick or no answer
  std::optional<std::string> text;    // the selected sample's text; none: no pick
  int selected = -1;                  // index among the observed samples; -1: no answer
  long long samples_used = 0;
  long long tokens = 0;               // of the used samples
  std::vector<double> scores;         // of the observed samples, in draw order
  std::string stop_reason;
  nlohmann::ordered_json failed = nlohmann::ordered_json::array();  // {draw, stage, reason} per failed sample
  std::optional<bool> correct;        // when the problem has a gold answer

  // The result line's object, keys in this order: id, answer, text,
  // selected, samples_used, tokens, scores, stop_reason, failed (when any),
  // correct (when graded).
  nlohmann::ordered_json to_json() const;
  // The inverse of to_json, for result lines stored by an earlier run.
  // Throws optscale::Error naming `where` and the field when one is missing
  // or of the wrong type.
  static ProblemResult from_json(const nlohmann::json& line, std::string_view where);
};

// Adds one problem's result to the summary's totals (samples, tokens, stop
// reasons, graded and correct).
void count_result(RunSummary& summary, const ProblemResult& result);

}  // namespace optscale::engine
