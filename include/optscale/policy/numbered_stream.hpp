// Samples that already exist (a replay stream, a test's list), in draw order,
// as a policy observes them after each prefix. Answer classes are numbered by
// first appearance in draw order, and since answer equivalence is not
// transitive a later sample can merge two earlier classes: a prefix sees the
// classes of that prefix alone, exactly as a live run that has drawn only it
// (answers/answer_classes.hpp), never a merge it has not drawn yet.
//
// Stored as epochs: a merge starts a new one; within an epoch a longer prefix
// only adds labels, so every prefix is a span of its epoch's list (no copy
// per step). Streams without merges, the usual case, hold one list.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "optscale/answers/answer_table.hpp"
#include "optscale/policy/policy.hpp"

namespace optscale::policy {

class NumberedStream {
 public:
  NumberedStream() = default;

  // Observations whose answer_class are taken as given, for every prefix (a
  // test's hand-numbered list). The list is copied.
  static NumberedStream as_numbered(std::span<const Observation> observations);
  // The same without a copy: `observations` must outlive the stream.
  static NumberedStream borrowing(std::span<const Observation> observations);

  // Numbers the answers in draw order: answer_ids[i] is sample i's answer in
  // `table` (-1: none); observations[i].answer_class is overwritten. The
  // table's equivalence verdicts are reused across streams of one problem.
  static NumberedStream number(std::vector<Observation> observations, std::span<const int> answer_ids,
                               answers::AnswerTable& table);

  std::size_t size() const { return full().size(); }
  // The first `count` observations, numbered as that prefix alone numbers them.
  std::span<const Observation> prefix(std::size_t count) const;
  // How many epochs (1 + the merges along the stream); for tests and benchmarks.
  std::size_t epochs() const { return epochs_.empty() ? 1 : epochs_.size(); }

 private:
  struct Epoch {
    std::size_t first = 0;                  // the shortest prefix that is numbered by this epoch
    std::vector<Observation> observations;  // numbered as the epoch's longest prefix
  };
  std::span<const Observation> full() const {
    return epochs_.empty() ? borrowed_ : std::span<const Observation>(epochs_.back().observations);
  }

  std::vector<Epoch> epochs_;                 // by `first`, ascending; empty when borrowed
  std::span<const Observation> borrowed_;
};

}  // namespace optscale::policy
