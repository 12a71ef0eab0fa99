#include "optscale/engine/priors.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "optscale/util/error.hpp"

namespace optscale::engine {

using nlohmann::json;

namespace {

std::array<double, 2> read_pair(const json& entry, const std::string& where) {
  if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number() || !entry[1].is_number())
    throw Error(where + ": expected [mu, sigma]");
  std::array<double, 2> pair{entry[0].get<double>(), entry[1].get<double>()};
  if (!std::isfinite(pair[0]) || !std::isfinite(pair[1])) throw Error(where + ": not finite");
  return pair;
}

}  // namespace

void apply_priors(const std::filesystem::path& path, std::vector<Problem>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot be read");
  json priors = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (priors.is_discarded()) throw Error(path.string() + ": not valid JSON");
  if (priors.is_array()) {
    if (priors.size() != problems.size())
      throw Error(path.string() + ": " + std::to_string(priors.size()) + " priors for " +
                  std::to_string(problems.size()) + " problems");
    for (std::size_t i = 0; i < problems.size(); ++i)
      problems[i].prior = read_pair(priors[i], path.string() + " entry " + std::to_string(i));
    return;
  }
  if (!priors.is_object()) throw Error(path.string() + ": expected a list or an object of [mu, sigma]");
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < problems.size(); ++i) index.emplace(problems[i].id, i);
  for (const auto& [id, entry] : priors.items()) {
    auto it = index.find(id);
    if (it == index.end()) throw Error(path.string() + ": '" + id + "' is not a problem id");
    problems[it->second].prior = read_pair(entry, path.string() + " '" + id + "'");
  }
  for (const Problem& p : problems)
    if (!priors.contains(p.id)) throw Error(path.string() + ": no prior for problem '" + p.id + "'");
}

}  // namespace optscale::engine

namespace optscale::engine {

void apply_predictor(const predict::Predictor& predictor, std::vector<Problem>& problems) {
  std::vector<predict::ProblemRef> refs;
  refs.reserve(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) refs.push_back(predict::ProblemRef{problems[i].text, problems[i].id, i});
  const std::vector<predict::Prediction> predictions = predictor.predict_all(refs);
  if (predictions.size() != problems.size())
    throw Error("predictor " + predictor.describe() + ": " + std::to_string(predictions.size()) +
                " predictions for " + std::to_string(problems.size()) + " problems");
  for (std::size_t i = 0; i < problems.size(); ++i) {
    problems[i].prior = std::array<double, 2>{predictions[i].mu, predictions[i].sigma};
    problems[i].prior_std = std::array<double, 2>{predictions[i].mu_std, predictions[i].sigma_std};
  }
}

}  // namespace optscale::engine
