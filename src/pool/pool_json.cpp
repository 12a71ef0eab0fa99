#include "pool_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

namespace optscale::pool::detail {
namespace {

using nlohmann::json;

// Field paths are built only when an error names them: `name` is a callable
// returning the path, so reading a valid pool allocates no path strings.

std::string got(const json& value) {
  if (value.is_null()) return "null (omit the field instead)";
  return std::string(value.type_name());
}

template <typename Name>
std::string read_string(json& value, const Name& name) {
  if (!value.is_string()) throw FieldError(name(), "must be a string, got " + got(value));
  return std::move(value.get_ref<std::string&>());
}

template <typename Name>
bool read_bool(const json& value, const Name& name) {
  if (!value.is_boolean()) throw FieldError(name(), "must be true or false, got " + got(value));
  return value.get<bool>();
}

template <typename Name>
double read_number_named(const json& value, const Name& name) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s == kNanToken) return std::numeric_limits<double>::quiet_NaN();
    if (s == kInfToken) return std::numeric_limits<double>::infinity();
    if (s == kNegInfToken) return -std::numeric_limits<double>::infinity();
  }
  throw FieldError(name(), "must be a number, got " + got(value));
}

// An integer, also when written with a zero fraction (2766.0, as numpy writes
// counts); the sign is a value rule (problem_violations).
template <typename Name>
long long read_integer(const json& value, const Name& name) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<unsigned long long>() > static_cast<unsigned long long>(
                                              std::numeric_limits<long long>::max())) {
      throw FieldError(name(), "must be an integer below 2^63, got " + value.dump());
    }
    return value.get<long long>();
  }
  const double x = read_number_named(value, name);
  if (!std::isfinite(x) || x != std::floor(x) || std::fabs(x) > 9.0e15) {
    throw FieldError(name(), "must be an integer, got " + format_number(x));
  }
  return static_cast<long long>(x);
}

void reject_unknown(const json& object, const std::string& prefix,
                    std::initializer_list<const char*> known) {
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* name : known) found = found || item.key() == name;
    if (!found) {
      std::string allowed;
      for (const char* name : known) allowed += std::string(allowed.empty() ? "" : ", ") + name;
      throw FieldError(prefix + item.key(), "unknown field (allowed: " + allowed + ")");
    }
  }
}

std::string sample_prefix(std::size_t index) {
  return std::string("samples[").append(std::to_string(index)).append("].");
}

Sample sample_from_json(json& object, std::size_t index) {
  auto field = [index](const char* name) {
    return [index, name] { return sample_prefix(index) + name; };
  };
  if (!object.is_object()) {
    throw FieldError("samples[" + std::to_string(index) + "]",
                     "must be an object, got " + got(object));
  }
  if (object.size() > 6 || !std::all_of(object.items().begin(), object.items().end(), [](const auto& item) {
        const std::string& k = item.key();
        return k == "text" || k == "answer" || k == "score" || k == "step_scores" ||
               k == "tokens" || k == "correct";
      })) {
    reject_unknown(object, sample_prefix(index),
                   {"text", "answer", "score", "step_scores", "tokens", "correct"});
  }
  Sample sample;
  if (auto it = object.find("text"); it != object.end()) sample.text = read_string(*it, field("text"));
  if (auto it = object.find("answer"); it != object.end()) {
    sample.answer = read_string(*it, field("answer"));
  }
  auto score = object.find("score");
  if (score == object.end()) throw FieldError(field("score")(), "missing (required)");
  sample.score = read_number_named(*score, field("score"));
  if (auto it = object.find("step_scores"); it != object.end()) {
    if (!it->is_array()) {
      throw FieldError(field("step_scores")(), "must be a list of numbers, got " + got(*it));
    }
    sample.step_scores.reserve(it->size());
    for (std::size_t k = 0; k < it->size(); ++k) {
      sample.step_scores.push_back(read_number_named((*it)[k], [&] {
        return sample_prefix(index) + "step_scores[" + std::to_string(k) + "]";
      }));
    }
  }
  auto tokens = object.find("tokens");
  if (tokens == object.end()) throw FieldError(field("tokens")(), "missing (required)");
  sample.tokens = read_integer(*tokens, field("tokens"));
  if (auto it = object.find("correct"); it != object.end()) {
    sample.correct = read_bool(*it, field("correct"));
  }
  return sample;
}

// A field of the problem itself: its name is its path.
auto top(const char* name) {
  return [name] { return std::string(name); };
}

}  // namespace

double read_number(const json& value, const std::string& field) {
  return read_number_named(value, [&] { return field; });
}

// Replaces the bare literals NaN, Infinity and -Infinity outside strings by the
// stand-in strings of pool_json.hpp, so that the value rules can name them.
std::string substitute_non_finite_literals(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 32);
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < line.size()) {
        out += line[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    const std::string_view rest = line.substr(i);
    if (rest.starts_with("-Infinity")) {
      out += "\"\\u0001-Infinity\"";
      i += 8;
    } else if (rest.starts_with("Infinity")) {
      out += "\"\\u0001Infinity\"";
      i += 7;
    } else if (rest.starts_with("NaN")) {
      out += "\"\\u0001NaN\"";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

Problem problem_from_json(json&& line) {
  if (!line.is_object()) throw FieldError("(line)", "must be a JSON object, got " + got(line));
  reject_unknown(line, "", {"id", "problem", "gold", "samples", "prior", "generator", "verifier",
                            "synthetic"});
  Problem problem;
  auto id = line.find("id");
  if (id == line.end()) throw FieldError("id", "missing (required)");
  problem.id = read_string(*id, top("id"));
  auto text = line.find("problem");
  if (text == line.end()) throw FieldError("problem", "missing (required; may be \"\")");
  problem.problem = read_string(*text, top("problem"));
  if (auto it = line.find("gold"); it != line.end()) problem.gold = read_string(*it, top("gold"));
  if (auto it = line.find("prior"); it != line.end()) {
    if (!it->is_array() || it->size() != 2) {
      throw FieldError("prior", "must be a list [mu, sigma] of two numbers, got " +
                                    (it->is_array() ? "a list of " + std::to_string(it->size())
                                                    : got(*it)));
    }
    problem.prior = std::array<double, 2>{read_number_named((*it)[0], top("prior[0]")),
                                          read_number_named((*it)[1], top("prior[1]"))};
  }
  if (auto it = line.find("generator"); it != line.end()) {
    problem.generator = read_string(*it, top("generator"));
  }
  if (auto it = line.find("verifier"); it != line.end()) {
    problem.verifier = read_string(*it, top("verifier"));
  }
  if (auto it = line.find("synthetic"); it != line.end()) {
    problem.synthetic = read_bool(*it, top("synthetic"));
  }
  auto samples = line.find("samples");
  if (samples == line.end()) throw FieldError("samples", "missing (required)");
  if (!samples->is_array()) {
    throw FieldError("samples", "must be a list of sample objects, got " + got(*samples));
  }
  problem.samples.reserve(samples->size());
  for (std::size_t i = 0; i < samples->size(); ++i) {
    problem.samples.push_back(sample_from_json((*samples)[i], i));
  }
  return problem;
}

nlohmann::ordered_json problem_to_json(const Problem& problem) {
  nlohmann::ordered_json line;
  line["id"] = problem.id;
  line["problem"] = problem.problem;
  if (problem.gold) line["gold"] = *problem.gold;
  if (problem.prior) line["prior"] = {(*problem.prior)[0], (*problem.prior)[1]};
  if (problem.generator) line["generator"] = *problem.generator;
  if (problem.verifier) line["verifier"] = *problem.verifier;
  if (problem.synthetic) line["synthetic"] = true;
  auto& samples = line["samples"] = nlohmann::ordered_json::array();
  for (const Sample& sample : problem.samples) {
    nlohmann::ordered_json s;
    if (sample.text) s["text"] = *sample.text;
    if (sample.answer) s["answer"] = *sample.answer;
    s["score"] = sample.score;
    if (!sample.step_scores.empty()) s["step_scores"] = sample.step_scores;
    s["tokens"] = sample.tokens;
    if (sample.correct) s["correct"] = *sample.correct;
    samples.push_back(std::move(s));
  }
  return line;
}

}  // namespace optscale::pool::detail
