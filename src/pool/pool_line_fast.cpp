#include "pool_line_fast.hpp"

#include <cmath>
#include <cstdint>

#include "optscale/answers/answers.hpp"

namespace optscale::pool::detail {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// The container an element of that type is (checked by the caller).
array as_array(element value) {
  array out;
  [[maybe_unused]] const auto error = value.get_array().get(out);
  return out;
}
object as_object(element value) {
  object out;
  [[maybe_unused]] const auto error = value.get_object().get(out);
  return out;
}

// JSON numbers as problem_from_json reads them (nlohmann's get<double>: an
// integer converted, a float as written).
std::optional<double> number(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    default: return std::nullopt;
  }
}

// `tokens` as read_integer accepts it: an integer below 2^63, or a float with
// an integral value of magnitude up to 9e15; anything else is the slow path's
// to refuse.
std::optional<long long> integer(element value) {
  switch (value.type()) {
    case element_type::INT64: return value.get_int64().value_unsafe();
    case element_type::DOUBLE: {
      const double x = value.get_double().value_unsafe();
      if (!std::isfinite(x) || x != std::floor(x) || std::fabs(x) > 9.0e15) return std::nullopt;
      return static_cast<long long>(x);
    }
    default: return std::nullopt;
  }
}

std::optional<std::string_view> text(element value) {
  if (value.type() != element_type::STRING) return std::nullopt;
  return value.get_string().value_unsafe();
}

std::optional<bool> boolean(element value) {
  if (value.type() != element_type::BOOL) return std::nullopt;
  return value.get_bool().value_unsafe();
}

std::optional<Sample> sample_from(element value, Texts texts) {
  if (value.type() != element_type::OBJECT) return std::nullopt;
  Sample sample;
  std::optional<std::string_view> completion;
  bool has_score = false, has_tokens = false;
  // A repeated key: the last one wins, as in parse_json.
  for (const auto field : as_object(value)) {
    const std::string_view key = field.key;
    if (key == "text") {
      if (!(completion = text(field.value))) return std::nullopt;
    } else if (key == "answer") {
      const auto answer = text(field.value);
      if (!answer) return std::nullopt;
      sample.answer = std::string(*answer);
    } else if (key == "score") {
      const auto score = number(field.value);
      if (!score) return std::nullopt;
      sample.score = *score;
      has_score = true;
    } else if (key == "step_scores") {
      if (field.value.type() != element_type::ARRAY) return std::nullopt;
      sample.step_scores.clear();
      for (const element step : as_array(field.value)) {
        const auto x = number(step);
        if (!x) return std::nullopt;
        sample.step_scores.push_back(*x);
      }
    } else if (key == "tokens") {
      const auto tokens = integer(field.value);
      if (!tokens) return std::nullopt;
      sample.tokens = *tokens;
      has_tokens = true;
    } else if (key == "correct") {
      if (!(sample.correct = boolean(field.value))) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (!has_score || !has_tokens) return std::nullopt;
  if (completion) {
    if (texts == Texts::keep) sample.text = std::string(*completion);
    else sample.dropped = digest_text(*completion, sample.answer.has_value());
  }
  return sample;
}

}  // namespace

DroppedText digest_text(std::string_view completion, bool has_answer) {
  DroppedText digest{completion.size(), std::nullopt};
  if (!has_answer) digest.answer = answers::extract_answer(completion);
  return digest;
}

std::optional<Problem> fast_problem_from_line(std::string_view line, util::FastJson& parser, Texts texts) {
  const auto root = parser.parse(line);
  if (!root || root->type() != element_type::OBJECT) return std::nullopt;
  Problem problem;
  bool has_id = false, has_problem = false, has_samples = false;
  auto string_field = [](element value, std::string& out) {
    const auto s = text(value);
    if (s) out.assign(*s);
    return s.has_value();
  };
  for (const auto field : as_object(*root)) {
    const std::string_view key = field.key;
    if (key == "id") {
      if (!(has_id = string_field(field.value, problem.id))) return std::nullopt;
    } else if (key == "problem") {
      if (!(has_problem = string_field(field.value, problem.problem))) return std::nullopt;
    } else if (key == "gold") {
      if (!string_field(field.value, problem.gold.emplace())) return std::nullopt;
    } else if (key == "generator") {
      if (!string_field(field.value, problem.generator.emplace())) return std::nullopt;
    } else if (key == "verifier") {
      if (!string_field(field.value, problem.verifier.emplace())) return std::nullopt;
    } else if (key == "synthetic") {
      const auto synthetic = boolean(field.value);
      if (!synthetic) return std::nullopt;
      problem.synthetic = *synthetic;
    } else if (key == "prior") {
      if (field.value.type() != element_type::ARRAY) return std::nullopt;
      const array list = as_array(field.value);
      if (list.size() != 2) return std::nullopt;
      auto it = list.begin();
      const auto mu = number(*it);
      const auto sigma = number(*++it);
      if (!mu || !sigma) return std::nullopt;
      problem.prior = std::array<double, 2>{*mu, *sigma};
    } else if (key == "samples") {
      if (field.value.type() != element_type::ARRAY) return std::nullopt;
      const array list = as_array(field.value);
      problem.samples.clear();
      problem.samples.reserve(list.size());
      for (const element item : list) {
        auto sample = sample_from(item, texts);
        if (!sample) return std::nullopt;
        problem.samples.push_back(std::move(*sample));
      }
      has_samples = true;
    } else {
      return std::nullopt;
    }
  }
  if (!has_id || !has_problem || !has_samples) return std::nullopt;
  return problem;
}

}  // namespace optscale::pool::detail
