#include "optscale/predict/priors_predictor.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "optscale/predict/labels.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::predict {
namespace {

std::array<double, 2> read_pair(const nlohmann::json& item, const std::string& where) {
  require(item.is_array() && item.size() == 2 && item[0].is_number() && item[1].is_number(), where,
          "expected [mu, sigma]");
  const std::array<double, 2> pair{item[0].get<double>(), item[1].get<double>()};
  require(std::isfinite(pair[0]) && std::isfinite(pair[1]), where, "mu and sigma must be finite");
  return pair;
}

}  // namespace

PriorsPredictor PriorsPredictor::from_file(const std::filesystem::path& priors,
                                           const std::optional<std::filesystem::path>& problems,
                                           double prior_std) {
  const std::string where = priors.string();
  require(std::isfinite(prior_std) && prior_std > 0.0, where, "the prior std must be finite and > 0");
  std::ifstream in = open_for_reading(priors, "priors file");
  nlohmann::json j;
  try {
    j = util::parse_json(std::string(std::istreambuf_iterator<char>(in), {}), where);
  } catch (const util::JsonInputError& e) {
    if (e.kind() != util::JsonInputError::Kind::syntax) throw;
    throw Error(where + ": malformed JSON (" + e.reason() + ")");
  }
  PriorsPredictor p;
  p.source_ = where;
  p.prior_std_ = prior_std;
  if (j.is_object()) {
    require(!problems, where, "a map by id needs no problems file");
    p.key_ = Key::id;
    for (const auto& [id, item] : j.items()) {
      p.lookup_.emplace(id, p.values_.size());
      p.values_.push_back(read_pair(item, where + ": \"" + id + "\""));
    }
  } else {
    require(j.is_array(), where, "expected a list of [mu, sigma] or a map by id");
    for (std::size_t i = 0; i < j.size(); ++i) {
      p.values_.push_back(read_pair(j[i], where + ": item " + std::to_string(i)));
    }
    if (problems) {
      p.key_ = Key::text;
      const auto texts = read_problems(*problems);
      require(texts.size() == p.values_.size(), where,
              [&] { return std::to_string(p.values_.size()) + " priors for " + std::to_string(texts.size()) +
                  " problems in " + problems->string(); });
      // A problem text listed twice keeps its first prior.
      for (std::size_t i = 0; i < texts.size(); ++i) p.lookup_.emplace(texts[i].problem, i);
    }
  }
  require(!p.values_.empty(), where, "no priors");
  return p;
}

Prediction PriorsPredictor::predict(const ProblemRef& problem) const {
  std::size_t i = 0;
  switch (key_) {
    case Key::index:
      require(problem.index.has_value(), source_,
              "a list of priors is matched by position; this problem has none (give the "
              "priors' problems file to match by text)");
      require(*problem.index < values_.size(), source_, [&] {
        return "no prior for problem " + std::to_string(*problem.index) + " (the file has " +
               std::to_string(values_.size()) + ")";
      });
      i = *problem.index;
      break;
    case Key::text: {
      const auto it = lookup_.find(problem.text);
      require(it != lookup_.end(), source_,
              [&] { return "no prior for the problem beginning '" + std::string(problem.text.substr(0, 60)) + "'"; });
      i = it->second;
      break;
    }
    case Key::id: {
      const auto it = lookup_.find(problem.id);
      require(it != lookup_.end(), source_, [&] { return "no prior for problem id '" + std::string(problem.id) + "'"; });
      i = it->second;
      break;
    }
  }
  return {values_[i][0], values_[i][1], prior_std_, prior_std_};
}

void PriorsPredictor::require_exact_cover(std::span<const ProblemRef> problems) const {
  switch (key_) {
    case Key::index:
      require(values_.size() == problems.size(), source_,
              [&] { return std::to_string(values_.size()) + " priors in the list for " + std::to_string(problems.size()) +
                  " problems (a list is matched by position: it needs one [mu, sigma] per problem)"; });
      return;
    case Key::id: {
      std::set<std::string_view, std::less<>> ids;
      for (const ProblemRef& problem : problems) {
        require(lookup_.contains(problem.id), source_,
                [&] { return "no prior for problem id '" + std::string(problem.id) + "'"; });
        ids.insert(problem.id);
      }
      for (const auto& entry : lookup_) {
        const auto& id = entry.first;  // not a structured binding: clang 14 cannot capture one (C++20 allows it)
        require(ids.contains(id), source_, [&] {
          return "'" + id + "' is not the id of any of the " + std::to_string(problems.size()) + " problems";
        });
      }
      return;
    }
    case Key::text:
      for (const ProblemRef& problem : problems) (void)predict(problem);
      return;
  }
}

std::size_t PriorsPredictor::count_matched(std::span<const ProblemRef> problems) const {
  std::size_t matched = 0;
  for (const ProblemRef& problem : problems) {
    switch (key_) {
      case Key::index: matched += problem.index && *problem.index < values_.size(); break;
      case Key::text: matched += lookup_.contains(problem.text); break;
      case Key::id: matched += lookup_.contains(problem.id); break;
    }
  }
  return matched;
}

std::string PriorsPredictor::describe() const { return "priors file " + source_; }

}  // namespace optscale::predict
