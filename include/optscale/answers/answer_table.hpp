// One problem's distinct final answers: each is keyed once (its
// canonical_key, or the exact string under raw grouping), and the
// equivalence of any two is computed at most once. AnswerClasses numbers
// samples over a table; the replay keeps one table per problem, so that every
// draw order and every strategy share the parsing, while classes are still
// numbered per draw order and per prefix (answer_classes.hpp).
// Not thread-safe: one thread uses a table at a time.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace optscale::answers {

enum class AnswerGrouping { equivalent, raw };

std::string to_string(AnswerGrouping grouping);
// Parses "equivalent" | "raw"; throws optscale::Error naming the bad value.
AnswerGrouping parse_answer_grouping(const std::string& text);

class AnswerTable {
 public:
  explicit AnswerTable(AnswerGrouping grouping = AnswerGrouping::equivalent) : grouping_(grouping) {}

  AnswerGrouping grouping() const { return grouping_; }

  // The id of `answer` (the same string gets the same id, ids count from 0);
  // -1 for no answer.
  int intern(const std::optional<std::string>& answer);
  int intern(std::string_view answer);
  int intern(const std::string& answer) { return intern(std::string_view(answer)); }

  // The voting key of answer `id`: answers with the same key are equivalent
  // for sure. -1 when it has none (an empty canonical key matches nothing).
  int key(int id) const { return keys_[static_cast<std::size_t>(id)]; }
  int key_count() const { return static_cast<int>(key_ids_.size()); }
  const std::string& text(int id) const { return texts_[static_cast<std::size_t>(id)]; }
  int size() const { return static_cast<int>(texts_.size()); }

  // answers_equivalent(text(a), text(b)), in that argument order, computed
  // once per ordered pair.
  bool equivalent(int a, int b);

 private:
  AnswerGrouping grouping_;
  std::unordered_map<std::string, int> ids_;      // text -> id
  std::unordered_map<std::string, int> key_ids_;  // key -> key id
  std::vector<std::string> texts_;                // per id
  std::vector<int> keys_;                         // per id
  std::vector<std::vector<signed char>> known_;   // [a][b]: -1 unknown, else the verdict
};

}  // namespace optscale::answers
