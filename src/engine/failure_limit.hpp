// --max-failed-samples (internal to the engine): counts the samples a run
// attempted and those that failed (stored ones from an earlier run included)
// and says when more have failed than the limit allows, naming the problems.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "optscale/engine/controller.hpp"

namespace optscale::engine {

class FailureLimit {
 public:
  FailureLimit(const RunOptions& options, const std::vector<Problem>& problems)
      : options_(options), problems_(problems) {}

  // A sample drawn or failed to draw.
  void attempted() { ++attempted_; }

  // A failed sample of problem `index`; once past the limit, the message the
  // run stops with (every failed sample after that returns one too).
  std::optional<std::string> failed(int index, const std::string& reason);

 private:
  const RunOptions& options_;
  const std::vector<Problem>& problems_;
  long long attempted_ = 0;                 // drawn or failed to draw (stored ones included)
  long long failed_ = 0;                    // failed samples, stored ones included
  std::map<int, std::string> problems_failed_;  // problem -> its first failure's reason
};

}  // namespace optscale::engine
