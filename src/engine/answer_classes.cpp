#include "optscale/engine/answer_classes.hpp"

#include "optscale/answers/answers.hpp"
#include "optscale/util/error.hpp"

namespace optscale::engine {

AnswerGrouping parse_answer_grouping(const std::string& name) {
  if (name == "equivalent") return AnswerGrouping::equivalent;
  if (name == "raw") return AnswerGrouping::raw;
  throw Error("--answer-grouping '" + name + "': expected equivalent or raw");
}

int AnswerClasses::root(int key) const {
  while (parent_[static_cast<std::size_t>(key)] != key) key = parent_[static_cast<std::size_t>(key)];
  return key;
}

void AnswerClasses::add(const std::optional<std::string>& answer) {
  if (!answer) {
    sample_keys_.push_back(-1);
    return;
  }
  std::string key = grouping_ == AnswerGrouping::raw ? *answer : answers::canonical_key(*answer);
  if (grouping_ == AnswerGrouping::equivalent && key.empty()) {
    sample_keys_.push_back(-1);
    return;
  }
  auto [it, inserted] = key_ids_.emplace(std::move(key), static_cast<int>(representatives_.size()));
  if (inserted) {
    const int id = it->second;
    parent_.push_back(id);
    if (grouping_ == AnswerGrouping::equivalent) {
      std::vector<int> matches;
      for (int k = 0; k < id; ++k)
        if (root(k) == k && answers::answers_equivalent(representatives_[static_cast<std::size_t>(k)], *answer))
          matches.push_back(k);
      for (int k : matches) parent_[static_cast<std::size_t>(root(k))] = matches.front();
      if (!matches.empty()) parent_[static_cast<std::size_t>(id)] = matches.front();
    }
    representatives_.push_back(*answer);
  }
  sample_keys_.push_back(it->second);
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

}  // namespace optscale::engine
