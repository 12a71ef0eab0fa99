#include "optscale/policy/numbered_stream.hpp"

#include "optscale/answers/answer_classes.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::policy {

NumberedStream NumberedStream::as_numbered(std::span<const Observation> observations) {
  NumberedStream stream;
  stream.epochs_.push_back(Epoch{0, std::vector<Observation>(observations.begin(), observations.end())});
  return stream;
}

NumberedStream NumberedStream::borrowing(std::span<const Observation> observations) {
  NumberedStream stream;
  stream.borrowed_ = observations;
  return stream;
}

NumberedStream NumberedStream::number(std::vector<Observation> observations, std::span<const int> answer_ids,
                                      answers::AnswerTable& table) {
  OPTSCALE_INVARIANT(answer_ids.size() == observations.size(),
                     "numbered stream: " + std::to_string(observations.size()) + " observations but " +
                         std::to_string(answer_ids.size()) + " answers");
  NumberedStream stream;
  answers::AnswerClasses classes(table);
  Epoch current;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    classes.add_interned(answer_ids[i]);
    if (classes.last_add_merged()) {
      // Sample i merged earlier classes: prefixes up to i keep the numbering
      // they had, and a new epoch starts with prefix i + 1.
      stream.epochs_.push_back(std::move(current));
      current = Epoch{i + 1, std::vector<Observation>(observations.begin(), observations.begin() + static_cast<long>(i))};
      const std::vector<int>& labels = classes.classes();
      for (std::size_t k = 0; k < i; ++k) current.observations[k].answer_class = labels[k];
    }
    current.observations.push_back(observations[i]);
    current.observations.back().answer_class = classes.classes()[i];
  }
  stream.epochs_.push_back(std::move(current));
  return stream;
}

std::span<const Observation> NumberedStream::prefix(std::size_t count) const {
  if (epochs_.empty()) return borrowed_.first(count);
  for (auto it = epochs_.rbegin(); it != epochs_.rend(); ++it)
    if (it->first <= count) return std::span<const Observation>(it->observations).first(count);
  return std::span<const Observation>(epochs_.front().observations).first(count);
}

}  // namespace optscale::policy
