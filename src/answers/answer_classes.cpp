#include "optscale/answers/answer_classes.hpp"

namespace optscale::answers {

AnswerClasses::AnswerClasses(AnswerGrouping grouping)
    : own_(std::make_unique<AnswerTable>(grouping)), table_(own_.get()) {}

AnswerClasses::AnswerClasses(AnswerTable& table) : table_(&table) {}

int AnswerClasses::root(int key) const {
  while (parent_[static_cast<std::size_t>(key)] != key) key = parent_[static_cast<std::size_t>(key)];
  return key;
}

int AnswerClasses::add(const std::optional<std::string>& answer) {
  return add_interned(table_->intern(answer));
}

int AnswerClasses::add_interned(int answer_id) {
  last_add_merged_ = false;
  const int table_key = answer_id < 0 ? -1 : table_->key(answer_id);
  if (table_key < 0) {
    sample_keys_.push_back(-1);
    labels_.push_back(-1);
    return -1;
  }
  if (local_key_.size() <= static_cast<std::size_t>(table_key))
    local_key_.resize(static_cast<std::size_t>(table_->key_count()), -1);
  int& key = local_key_[static_cast<std::size_t>(table_key)];
  if (key < 0) {
    key = key_count();
    parent_.push_back(key);
    class_of_root_.push_back(-1);
    if (table_->grouping() == AnswerGrouping::equivalent) {
      std::vector<int> matches;
      for (int k = 0; k < key; ++k)
        if (root(k) == k && table_->equivalent(representatives_[static_cast<std::size_t>(k)], answer_id))
          matches.push_back(k);
      // Merge into the earliest match so numbering stays by first appearance.
      for (int k : matches) parent_[static_cast<std::size_t>(root(k))] = matches.front();
      if (!matches.empty()) parent_[static_cast<std::size_t>(key)] = matches.front();
      last_add_merged_ = matches.size() >= 2;
    }
    representatives_.push_back(answer_id);
  }
  sample_keys_.push_back(key);
  if (last_add_merged_) {
    renumber();
  } else {
    labels_.push_back(class_of(key));
  }
  return key;
}

int AnswerClasses::class_of(int key) {
  int& id = class_of_root_[static_cast<std::size_t>(root(key))];
  if (id < 0) id = class_count_++;
  return id;
}

void AnswerClasses::renumber() {
  std::fill(class_of_root_.begin(), class_of_root_.end(), -1);
  class_count_ = 0;
  labels_.clear();
  for (int key : sample_keys_) labels_.push_back(key < 0 ? -1 : class_of(key));
}

}  // namespace optscale::answers
