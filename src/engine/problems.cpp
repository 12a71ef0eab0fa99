#include "optscale/engine/problems.hpp"

#include <cmath>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/fast_json.hpp"
#include "optscale/util/json_limits.hpp"
#include "optscale/util/line_reader.hpp"

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

// The nlohmann path: every check, in order, with its message.
Problem read_row(std::string_view line, const std::string& where, std::unordered_set<std::string>& ids) {
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
  return problem;
}

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<std::string> fast_digits(element value) {
  if (value.type() == element_type::INT64) return std::to_string(value.get_int64().value_unsafe());
  if (value.type() == element_type::UINT64) return std::to_string(value.get_uint64().value_unsafe());
  return std::nullopt;
}

std::optional<double> fast_number(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    default: return std::nullopt;
  }
}

// The fast path (util::FastJson): the row when read_row would take it as it
// is, but for the duplicate-id check; nullopt for anything else (an error, or
// a fractional gold, which read_row writes as nlohmann does), which read_row
// then reads. Fields other than these (a pool's `samples`) are skipped.
std::optional<Problem> fast_row(std::string_view line, util::FastJson& parser) {
  const auto root = parser.parse(line);
  simdjson::dom::object object;
  if (!root || root->get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  Problem problem;
  bool has_id = false, has_text = false;
  for (const auto field : object) {  // a repeated key: the last one wins, as in parse_json
    const std::string_view key = field.key;
    const element value = field.value;
    if (key == "id") {
      std::string_view text;
      if (value.get_string().get(text) == simdjson::SUCCESS) problem.id.assign(text);
      else if (auto digits = fast_digits(value)) problem.id = std::move(*digits);
      else return std::nullopt;
      has_id = true;
    } else if (key == "problem") {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
      problem.text.assign(text);
      has_text = true;
    } else if (key == "gold") {
      std::string_view text;
      if (value.is_null()) problem.gold.reset();
      else if (value.get_string().get(text) == simdjson::SUCCESS) problem.gold = std::string(text);
      else if (auto digits = fast_digits(value)) problem.gold = std::move(*digits);
      else return std::nullopt;
    } else if (key == "prior") {
      if (value.is_null()) {
        problem.prior.reset();
        continue;
      }
      simdjson::dom::array list;
      if (value.get_array().get(list) != simdjson::SUCCESS || list.size() != 2) return std::nullopt;
      auto it = list.begin();
      const auto mu = fast_number(*it);
      const auto sigma = fast_number(*++it);
      if (!mu || !sigma) return std::nullopt;
      problem.prior = std::array<double, 2>{*mu, *sigma};
    }
  }
  if (!has_id || problem.id.empty() || !has_text || problem.text.empty()) return std::nullopt;
  return problem;
}

}  // namespace

std::vector<Problem> read_problems(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path, "problems file");
  std::vector<Problem> problems;
  std::unordered_set<std::string> ids;
  util::LineReader reader(in, util::LineReader::block_for_file(path));
  util::FastJson parser;
  for (;;) {
    const std::vector<util::InputLine>& lines = reader.next(path.string());
    if (lines.empty()) break;
    for (const util::InputLine& line : lines) {
      if (line.text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      const std::string where = path.string() + ":" + std::to_string(line.number);
      if (auto problem = fast_row(line.text, parser)) {
        if (!ids.insert(problem->id).second) throw Error(where + ": duplicate id '" + problem->id + "'");
        problems.push_back(std::move(*problem));
      } else {
        problems.push_back(read_row(line.text, where, ids));
      }
    }
  }
  if (problems.empty()) throw Error(path.string() + ": no problems");
  return problems;
}

}  // namespace optscale::engine
