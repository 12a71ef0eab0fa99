// Numbering a problem's final answers into voting classes
// (policy::Observation::answer_class) as its samples arrive in draw order,
// by the same rule as the offline replay so that live runs vote like replays:
//  - equivalent (default): answers with the same answers::canonical_key form
//    a key; a new key joins every earlier class whose representative it is
//    answers::answers_equivalent to (the earliest absorbs the others);
//    answers with an empty key, and samples without an answer, get -1;
//  - raw: the exact extracted strings (the reference's self-consistency).
// Classes are numbered by first appearance. A later key can merge two earlier
// classes, so classes() relabels every sample added so far.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace optscale::engine {

enum class AnswerGrouping { equivalent, raw };

// Parses "equivalent" | "raw"; throws optscale::Error otherwise.
AnswerGrouping parse_answer_grouping(const std::string& name);

class AnswerClasses {
 public:
  explicit AnswerClasses(AnswerGrouping grouping = AnswerGrouping::equivalent) : grouping_(grouping) {}

  // The next sample's answer, in draw order.
  void add(const std::optional<std::string>& answer);
  // Every added sample's class, in draw order.
  std::vector<int> classes() const;

 private:
  int root(int key) const;

  AnswerGrouping grouping_;
  std::map<std::string, int> key_ids_;
  std::vector<std::string> representatives_;  // per key: its first answer
  std::vector<int> parent_;                    // per key: merged into
  std::vector<int> sample_keys_;               // per sample: key or -1
};

}  // namespace optscale::engine
