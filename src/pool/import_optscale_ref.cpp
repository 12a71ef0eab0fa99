#include "optscale/pool/import_optscale_ref.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "optscale/answers/answers.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "pool_json.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::pool {
namespace {

using nlohmann::json;

// Parses a whole JSON document. Python's json module writes NaN and Infinity,
// which JSON does not allow: those are read as stand-ins so the value rules can
// report the exact entry instead of failing on the whole file.
json read_json_document(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path);
  std::string content;
  {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    content = std::move(buffer).str();
  }
  try {
    return util::parse_json(content, path.string());
  } catch (const util::JsonInputError& original) {
    if (original.kind() != util::JsonInputError::Kind::syntax) throw;
    try {
      std::string substituted = detail::substitute_non_finite_literals(content);
      content.clear();
      content.shrink_to_fit();
      return util::parse_json(substituted, path.string());
    } catch (const util::JsonInputError& again) {
      if (again.kind() != util::JsonInputError::Kind::syntax) throw;
      throw Error(path.string() + ": invalid JSON: " + original.reason());
    }
  }
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

// score.<name>[0] of one problem, which must be a list.
json& first_list(json& score, const std::string& name, const std::string& where) {
  auto it = score.find(name);
  if (it == score.end()) throw Error(where + "score." + name + ": missing");
  if (!it->is_array() || it->empty()) {
    throw Error(where + "score." + name + ": must be a list whose [0] is the per-sample list");
  }
  json& inner = (*it)[0];
  if (!inner.is_array()) throw Error(where + "score." + name + "[0]: must be a list");
  return inner;
}

std::optional<std::string> gold_answer(const json& item, GoldFormat format, const std::string& where) {
  auto it = item.find("answer");
  if (it == item.end()) return std::nullopt;
  std::string raw;
  if (it->is_string()) raw = it->get<std::string>();
  else if (it->is_number_integer()) raw = std::to_string(it->get<long long>());
  else throw Error(where + "answer: must be a string or an integer, got " + std::string(it->type_name()));
  const bool gsm8k = format == GoldFormat::kGsm8k ||
                     (format == GoldFormat::kAuto && raw.find("####") != std::string::npos);
  if (!gsm8k) {
    std::string gold = trim(raw);
    if (gold.empty()) throw Error(where + "answer: is empty");
    return gold;
  }
  auto gold = answers::extract_gsm8k_gold(raw);
  if (!gold || trim(*gold).empty()) {
    throw Error(where + "answer: no number after \"####\" in this GSM8K-style solution");
  }
  return trim(*gold);
}

std::string problem_text(const json& item, const std::string& where) {
  for (const char* key : {"problem", "question"}) {
    auto it = item.find(key);
    if (it != item.end()) {
      if (!it->is_string()) throw Error(where + key + ": must be a string");
      return it->get<std::string>();
    }
  }
  throw Error(where + "has neither \"problem\" nor \"question\"");
}

}  // namespace

std::vector<std::array<double, 2>> read_priors_file(const std::filesystem::path& path) {
  const json document = read_json_document(path);
  if (!document.is_array()) throw Error(path.string() + ": must be a list of [mu, sigma]");
  std::vector<std::array<double, 2>> priors;
  priors.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    const std::string where = path.string() + ": [" + std::to_string(i) + "]";
    const json& row = document[i];
    if (!row.is_array() || row.size() != 2) throw Error(where + ": must be [mu, sigma]");
    std::array<double, 2> prior{};
    for (int k = 0; k < 2; ++k) {
      const std::string field = k == 0 ? "[0]" : "[1]";
      try {
        prior[k] = detail::read_number(row[k], field);
      } catch (const detail::FieldError& e) {
        throw Error(where + e.field() + ": " + e.what());
      }
      if (!std::isfinite(prior[k])) {
        throw Error(where + field + ": must be finite, got " + detail::format_number(prior[k]));
      }
    }
    priors.push_back(prior);
  }
  return priors;
}

Pool import_optscale_ref(const OptscaleRefImport& options) {
  const std::string scored_file = options.scored.string();
  const std::string problems_file = options.problems.string();
  const std::string dataset =
      options.dataset.empty() ? options.problems.stem().string() : options.dataset;

  const json problems = read_json_document(options.problems);
  if (!problems.is_array()) throw Error(problems_file + ": must be a JSON list of problems");
  json scored = read_json_document(options.scored);
  if (!scored.is_array()) throw Error(scored_file + ": must be a JSON list, one object per problem");
  if (scored.size() != problems.size()) {
    throw Error(scored_file + ": holds " + std::to_string(scored.size()) + " problems but " +
                problems_file + " holds " + std::to_string(problems.size()) +
                " (the pool must follow the problems file, one entry each, in order)");
  }
  std::vector<std::array<double, 2>> priors;
  if (options.priors) {
    priors = read_priors_file(*options.priors);
    if (priors.size() != problems.size()) {
      throw Error(options.priors->string() + ": holds " + std::to_string(priors.size()) +
                  " priors but " + problems_file + " holds " + std::to_string(problems.size()));
    }
  }

  Pool pool;
  pool.problems.reserve(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const std::string index = std::string("[").append(std::to_string(i)).append("]");
    const std::string problem_where = problems_file + ": " + index + ".";
    const std::string where = scored_file + ": " + index + ".";
    const json& item = problems[i];
    if (!item.is_object()) throw Error(problems_file + ": " + index + ": must be an object");

    Problem problem;
    auto unique_id = item.find("unique_id");
    problem.id = unique_id != item.end() && unique_id->is_string()
                     ? unique_id->get<std::string>()
                     : dataset + "-" + std::to_string(i);
    problem.problem = problem_text(item, problem_where);
    problem.gold = gold_answer(item, options.gold_format, problem_where);
    if (options.priors) problem.prior = priors[i];
    problem.generator = options.generator;
    problem.verifier = options.verifier;

    json& entry = scored[i];
    if (!entry.is_object() || !entry.contains("score") || !entry["score"].is_object()) {
      throw Error(scored_file + ": " + index + ": must be an object with a \"score\" object");
    }
    json& score = entry["score"];
    json& completions = first_list(score, "completions", where);
    json& scores = first_list(score, "scores", where);
    json& tokens = first_list(score, "completion_tokens", where);
    const std::size_t count = completions.size();
    auto same_length = [&](const json& list, const char* name) {
      if (list.size() != count) {
        throw Error(where + "score." + name + "[0]: has " + std::to_string(list.size()) +
                    " entries but score.completions[0] has " + std::to_string(count));
      }
    };
    same_length(scores, "scores");
    same_length(tokens, "completion_tokens");
    if (score.contains("last_scores")) same_length(first_list(score, "last_scores", where), "last_scores");
    if (!options.allow_text_mismatch && score.contains("problem")) {
      const json& texts = score["problem"];
      if (texts.is_array() && !texts.empty() && texts[0].is_string() &&
          trim(texts[0].get_ref<const std::string&>()) != trim(problem.problem)) {
        throw Error(where + "score.problem[0]: differs from " + problems_file + " " + index +
                    " (are the files of the same dataset, in the same order? "
                    "--allow-text-mismatch skips this check)");
      }
    }

    problem.samples.resize(count);
    for (std::size_t j = 0; j < count; ++j) {
      Sample& sample = problem.samples[j];
      const std::string k = "[0][" + std::to_string(j) + "]";
      if (!completions[j].is_string()) {
        throw Error(where + "score.completions" + k + ": must be a string, got " +
                    std::string(completions[j].type_name()));
      }
      sample.text = std::move(completions[j].get_ref<std::string&>());
      try {
        sample.score = detail::read_number(scores[j], "score.scores" + k);
        const double t = detail::read_number(tokens[j], "score.completion_tokens" + k);
        if (!std::isfinite(t) || t != std::floor(t) || t < 0.0 || t > 9.0e15) {
          throw detail::FieldError("score.completion_tokens" + k,
                                   "must be a non-negative integer, got " + detail::format_number(t));
        }
        sample.tokens = static_cast<long long>(t);
      } catch (const detail::FieldError& e) {
        throw Error(where + e.field() + ": " + e.what());
      }
      if (!(sample.score >= 0.0 && sample.score <= 1.0)) {
        throw Error(where + "score.scores" + k + ": must be in [0,1], got " +
                    detail::format_number(sample.score));
      }
    }
    if (count == 0) throw Error(where + "score.completions[0]: is empty (no samples)");
    const auto violations = problem_violations(problem);
    if (!violations.empty()) throw Error(where + " (id \"" + problem.id + "\"): " + violations.front());
    pool.problems.push_back(std::move(problem));
  }
  return pool;
}

}  // namespace optscale::pool
