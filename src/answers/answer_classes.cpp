#include "optscale/answers/answer_classes.hpp"

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

int AnswerClasses::root(int key) const {
  while (parent_[static_cast<std::size_t>(key)] != key) key = parent_[static_cast<std::size_t>(key)];
  return key;
}

int AnswerClasses::add(const std::optional<std::string>& answer) {
  if (!answer) {
    sample_keys_.push_back(-1);
    return -1;
  }
  std::string key = grouping_ == AnswerGrouping::raw ? *answer : canonical_key(*answer);
  // An empty canonical key matches nothing (answers.hpp): no class, no vote.
  if (grouping_ == AnswerGrouping::equivalent && key.empty()) {
    sample_keys_.push_back(-1);
    return -1;
  }
  auto [it, inserted] = key_ids_.emplace(std::move(key), static_cast<int>(representatives_.size()));
  if (inserted) {
    const int id = it->second;
    parent_.push_back(id);
    if (grouping_ == AnswerGrouping::equivalent) {
      std::vector<int> matches;
      for (int k = 0; k < id; ++k)
        if (root(k) == k && answers_equivalent(representatives_[static_cast<std::size_t>(k)], *answer))
          matches.push_back(k);
      // Merge into the earliest match so numbering stays by first appearance.
      for (int k : matches) parent_[static_cast<std::size_t>(root(k))] = matches.front();
      if (!matches.empty()) parent_[static_cast<std::size_t>(id)] = matches.front();
    }
    representatives_.push_back(*answer);
  }
  sample_keys_.push_back(it->second);
  return it->second;
}

std::vector<int> AnswerClasses::classes() const {
  std::vector<int> dense(representatives_.size(), -1);
  std::vector<int> out;
  out.reserve(sample_keys_.size());
  int next = 0;
  for (int key : sample_keys_) {
    if (key < 0) {
      out.push_back(-1);
      continue;
    }
    int& id = dense[static_cast<std::size_t>(root(key))];
    if (id < 0) id = next++;
    out.push_back(id);
  }
  return out;
}

}  // namespace optscale::answers
