// Numbering one problem's final answers into voting classes
// (policy::Observation::answer_class) as its samples arrive in draw order. The
// offline replay and the live engine both use this, so live runs vote exactly
// like replays.
//  - equivalent (default): answers with the same canonical_key form a key; a
//    new key joins every earlier class whose representative it is
//    answers_equivalent to (the earliest absorbs the others); answers with an
//    empty key, and samples without an answer, get -1 (no class, no vote);
//  - raw: the exact extracted strings (the reference's self-consistency,
//    paper-spec §5). Whether "no answer" votes, as in the reference, is the
//    strategies' `none_votes=1` (docs/strategies.md).
// Classes are numbered by first appearance. A later key can merge two earlier
// classes, so classes() relabels every sample added so far.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace optscale::answers {

enum class AnswerGrouping { equivalent, raw };

std::string to_string(AnswerGrouping grouping);
// Parses "equivalent" | "raw"; throws optscale::Error naming the bad value.
AnswerGrouping parse_answer_grouping(const std::string& text);

class AnswerClasses {
 public:
  explicit AnswerClasses(AnswerGrouping grouping = AnswerGrouping::equivalent) : grouping_(grouping) {}

  // The next sample's answer, in draw order. Returns its key: samples with
  // the same key (same string, or same canonical key) are equivalent for
  // sure; -1 when it has none.
  int add(const std::optional<std::string>& answer);
  // Every added sample's class, in draw order (-1: none).
  std::vector<int> classes() const;
  // How many distinct keys were added.
  int key_count() const { return static_cast<int>(representatives_.size()); }

 private:
  int root(int key) const;

  AnswerGrouping grouping_;
  std::map<std::string, int> key_ids_;
  std::vector<std::string> representatives_;  // per key: its first answer
  std::vector<int> parent_;                    // per key: merged into
  std::vector<int> sample_keys_;               // per sample: key or -1
};

}  // namespace optscale::answers
