#include "optscale/engine/problems.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"

namespace optscale::engine {

using nlohmann::json;

std::vector<Problem> read_problems(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path, "problems file");
  std::vector<Problem> problems;
  std::unordered_set<std::string> ids;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string where = path.string() + ":" + std::to_string(number);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json row = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (row.is_discarded()) throw Error(where + ": not valid JSON");
    if (!row.is_object()) throw Error(where + ": expected a JSON object");
    Problem problem;
    if (!row.contains("id")) throw Error(where + ": missing 'id'");
    if (row["id"].is_string()) {
      problem.id = row["id"].get<std::string>();
    } else if (row["id"].is_number_integer()) {
      problem.id = std::to_string(row["id"].get<long long>());
    } else {
      throw Error(where + ": 'id' must be a string or an integer");
    }
    if (problem.id.empty()) throw Error(where + ": 'id' is empty");
    if (!ids.insert(problem.id).second) throw Error(where + ": duplicate id '" + problem.id + "'");
    if (!row.contains("problem") || !row["problem"].is_string())
      throw Error(where + ": missing 'problem' (the problem text, a string)");
    problem.text = row["problem"].get<std::string>();
    if (problem.text.empty()) throw Error(where + ": 'problem' is empty; a live run needs the text");
    if (row.contains("gold") && !row["gold"].is_null()) {
      const json& gold = row["gold"];
      if (gold.is_string()) {
        problem.gold = gold.get<std::string>();
      } else if (gold.is_number_integer()) {
        problem.gold = std::to_string(gold.get<long long>());
      } else if (gold.is_number()) {
        problem.gold = gold.dump();
      } else {
        throw Error(where + ": 'gold' must be a string or a number");
      }
    }
    if (row.contains("prior") && !row["prior"].is_null()) {
      const json& prior = row["prior"];
      if (!prior.is_array() || prior.size() != 2 || !prior[0].is_number() || !prior[1].is_number())
        throw Error(where + ": 'prior' must be [mu, sigma]");
      double mu = prior[0].get<double>(), sigma = prior[1].get<double>();
      if (!std::isfinite(mu) || !std::isfinite(sigma))
        throw Error(where + ": 'prior' must hold finite numbers");
      problem.prior = std::array<double, 2>{mu, sigma};
    }
    problems.push_back(std::move(problem));
  }
  if (problems.empty()) throw Error(path.string() + ": no problems");
  return problems;
}

}  // namespace optscale::engine
