// Numbering one problem's final answers into voting classes
// (policy::Observation::answer_class) as its samples arrive in draw order.
// Every runner (replay, live engine, proxy) numbers through this, via
// policy::ProblemRun, so live runs vote exactly like replays.
//  - equivalent (default): answers with the same canonical_key form a key; a
//    new key joins every earlier class whose representative (the first answer
//    drawn of its root key) it is answers_equivalent to (the earliest absorbs
//    the others); answers with an empty key, and samples without an answer,
//    get -1 (no class, no vote);
//  - raw: the exact extracted strings (the reference's self-consistency,
//    paper-spec §5). Whether "no answer" votes, as in the reference, is the
//    strategies' `none_votes=1` (docs/strategies.md).
// Classes are numbered by first appearance. Equivalence is not transitive, so
// a later key can merge two earlier classes: classes() relabels every sample
// added so far, and the classes of a prefix are those of that prefix alone.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "optscale/answers/answer_table.hpp"

namespace optscale::answers {

class AnswerClasses {
 public:
  // Over a table of its own.
  explicit AnswerClasses(AnswerGrouping grouping = AnswerGrouping::equivalent);
  // Over a shared table (which must outlive this): the replay's per-problem one.
  explicit AnswerClasses(AnswerTable& table);

  // The next sample's answer, in draw order. Returns its key: samples with
  // the same key (same string, or same canonical key) are equivalent for
  // sure; keys are numbered by first appearance; -1 when it has none.
  int add(const std::optional<std::string>& answer);
  // The same, for an answer already interned in the table (-1: no answer).
  int add_interned(int answer_id);
  // Every added sample's class, in draw order (-1: none). Kept up to date
  // by add (a merge renumbers everything, otherwise one label is appended).
  const std::vector<int>& classes() const { return labels_; }
  // How many distinct keys were added.
  int key_count() const { return static_cast<int>(representatives_.size()); }
  // Whether the last add joined two or more earlier classes into one (so
  // earlier samples' classes changed).
  bool last_add_merged() const { return last_add_merged_; }
  const AnswerTable& table() const { return *table_; }

 private:
  int root(int key) const;
  int class_of(int key);  // numbers the key's root on first sight
  void renumber();        // after a merge: every sample's class again

  std::unique_ptr<AnswerTable> own_;
  AnswerTable* table_;
  std::vector<int> local_key_;        // table key -> key here, -1 when not added yet
  std::vector<int> representatives_;  // per key: the answer id it was first drawn with
  std::vector<int> parent_;           // per key: merged into
  std::vector<int> sample_keys_;      // per sample: key or -1
  std::vector<int> class_of_root_;    // per key: its class while it is a root, else -1
  std::vector<int> labels_;           // per sample: class or -1
  int class_count_ = 0;
  bool last_add_merged_ = false;
};

}  // namespace optscale::answers
