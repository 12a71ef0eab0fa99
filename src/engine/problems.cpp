#include "optscale/engine/problems.hpp"

#include <cmath>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::engine {

using nlohmann::json;

namespace {

// The exact decimal digits of a JSON integer, signed or unsigned: ids and
// golds up to 2^64 - 1 stay exact (as unsigned, never wrapped to negative).
std::optional<std::string> integer_text(const json& value) {
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return std::nullopt;
}

}  // namespace

std::vector<Problem> read_problems(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path, "problems file");
  std::vector<Problem> problems;
  std::unordered_set<std::string> ids;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string where = path.string() + ":" + std::to_string(number);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json row;
    try {
      row = util::parse_json(line, where);
    } catch (const util::JsonInputError& e) {
      if (e.kind() != util::JsonInputError::Kind::syntax) throw;
      throw Error(where + ": not valid JSON (" + e.reason() + ")");
    }
    if (!row.is_object()) throw Error(where + ": expected a JSON object");
    Problem problem;
    if (!row.contains("id")) throw Error(where + ": missing 'id'");
    if (row["id"].is_string()) {
      problem.id = row["id"].get<std::string>();
    } else if (auto digits = integer_text(row["id"])) {
      problem.id = *digits;
    } else {
      throw Error(where + ": 'id' must be a string or an integer of at most 64 bits, got " +
                  util::json_excerpt(row["id"]) + " (write larger ids as strings)");
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
      } else if (auto digits = integer_text(gold)) {
        problem.gold = *digits;
      } else if (gold.is_number()) {  // a fraction, or an integer past 64 bits: its shortest decimal
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
