// Deterministic labelled problems for tests: the score law depends on words
// in the text (difficulty and topic), so a working text model must learn it.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "optscale/predict/labels.hpp"

namespace optscale::testing {

inline std::vector<predict::LabeledProblem> synthetic_labels(int count) {
  const char* topics[] = {"triangle", "prime", "probability", "polynomial"};
  const char* levels[] = {"an easy warm-up:", "a standard question:", "a hard olympiad challenge:"};
  const char* fillers[] = {"Compute the answer.", "Give your answer as a fraction.",
                           "Express the result in simplest form.", "Show that it is unique."};
  std::vector<predict::LabeledProblem> labels;
  for (int i = 0; i < count; ++i) {
    const int topic = i % 4, level = (i / 4) % 3, filler = (i * 7) % 4;
    // A little deterministic jitter so no two labels are equal.
    const double jitter = ((i * 37) % 17 - 8) * 0.001;
    predict::LabeledProblem l;
    l.id = std::string("p").append(std::to_string(i));
    l.problem = std::string("This is ")
                    .append(levels[level])
                    .append(" a ")
                    .append(topics[topic])
                    .append(" problem number ")
                    .append(std::to_string(i))
                    .append(". ")
                    .append(fillers[filler]);
    l.mu = 0.97 - 0.06 * level - 0.01 * topic + jitter;
    l.sigma = 0.02 + 0.04 * level + 0.005 * topic + 0.5 * std::abs(jitter);
    labels.push_back(l);
  }
  return labels;
}

}  // namespace optscale::testing
