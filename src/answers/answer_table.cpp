#include "optscale/answers/answer_table.hpp"

#include "optscale/answers/answers.hpp"
#include "optscale/util/error.hpp"

namespace optscale::answers {

std::string to_string(AnswerGrouping grouping) {
  return grouping == AnswerGrouping::equivalent ? "equivalent" : "raw";
}

AnswerGrouping parse_answer_grouping(const std::string& text) {
  if (text == "equivalent") return AnswerGrouping::equivalent;
  if (text == "raw") return AnswerGrouping::raw;
  throw Error("--answer-grouping: expected 'equivalent' or 'raw', got '" + text + "'");
}

int AnswerTable::intern(const std::optional<std::string>& answer) {
  return answer ? intern(std::string_view(*answer)) : -1;
}

int AnswerTable::intern(std::string_view answer) {
  auto [it, inserted] = ids_.try_emplace(std::string(answer), size());
  if (!inserted) return it->second;
  std::string key = grouping_ == AnswerGrouping::raw ? std::string(answer) : canonical_key(answer);
  int key_id = -1;
  // An empty canonical key matches nothing (answers.hpp): no class, no vote.
  if (grouping_ == AnswerGrouping::raw || !key.empty())
    key_id = key_ids_.try_emplace(std::move(key), key_count()).first->second;
  texts_.emplace_back(answer);
  keys_.push_back(key_id);
  return it->second;
}

bool AnswerTable::equivalent(int a, int b) {
  const auto row = static_cast<std::size_t>(a), column = static_cast<std::size_t>(b);
  if (known_.size() <= row) known_.resize(texts_.size());
  std::vector<signed char>& verdicts = known_[row];
  if (verdicts.size() <= column) verdicts.resize(texts_.size(), -1);
  signed char& verdict = verdicts[column];
  if (verdict < 0) verdict = answers_equivalent(texts_[row], texts_[column]) ? 1 : 0;
  return verdict == 1;
}

}  // namespace optscale::answers
