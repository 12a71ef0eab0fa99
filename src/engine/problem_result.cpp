#include "optscale/engine/problem_result.hpp"

#include "optscale/engine/controller.hpp"
#include "optscale/util/error.hpp"

namespace optscale::engine {

using nlohmann::ordered_json;

ordered_json ProblemResult::to_json() const {
  ordered_json out;
  out["id"] = id;
  out["answer"] = answer ? ordered_json(*answer) : ordered_json(nullptr);
  out["text"] = text ? ordered_json(*text) : ordered_json(nullptr);
  out["selected"] = selected;
  out["samples_used"] = samples_used;
  out["tokens"] = tokens;
  out["scores"] = scores;
  out["stop_reason"] = stop_reason;
  if (!failed.empty()) out["failed"] = failed;
  if (correct) out["correct"] = *correct;
  return out;
}

ProblemResult ProblemResult::from_json(const nlohmann::json& line, std::string_view where) {
  const std::string at(where);
  require(line.is_object(), at, "a result line must be a JSON object");
  auto field = [&](const char* name) -> const nlohmann::json& {
    require(line.contains(name), at, [&] { return std::string("missing field '") + name + "'"; });
    return line.at(name);
  };
  auto optional_text = [&](const char* name) -> std::optional<std::string> {
    const nlohmann::json& value = field(name);
    if (value.is_null()) return std::nullopt;
    require(value.is_string(), at, [&] { return std::string("'") + name + "' must be a string or null"; });
    return value.get<std::string>();
  };
  try {
    ProblemResult result;
    result.id = field("id").get<std::string>();
    result.answer = optional_text("answer");
    result.text = optional_text("text");
    result.selected = field("selected").get<int>();
    result.samples_used = field("samples_used").get<long long>();
    result.tokens = field("tokens").get<long long>();
    result.scores = field("scores").get<std::vector<double>>();
    result.stop_reason = field("stop_reason").get<std::string>();
    if (line.contains("failed")) {
      // Each entry as to_json writes it: draw, stage, reason (then anything else).
      for (const nlohmann::json& entry : line.at("failed")) {
        ordered_json kept = ordered_json::object();
        for (const char* key : {"draw", "stage", "reason"})
          if (entry.contains(key)) kept[key] = ordered_json(entry.at(key));
        for (const auto& [key, value] : entry.items())
          if (!kept.contains(key)) kept[key] = ordered_json(value);
        result.failed.push_back(std::move(kept));
      }
    }
    if (line.contains("correct")) result.correct = line.at("correct").get<bool>();
    return result;
  } catch (const nlohmann::json::exception& e) {
    throw Error(at + ": a field has the wrong type (" + e.what() + ")");
  }
}

void count_result(RunSummary& summary, const ProblemResult& result) {
  summary.samples += result.samples_used;
  summary.tokens += result.tokens;
  ++summary.stop_reasons[result.stop_reason];
  if (result.correct) {
    ++summary.graded;
    if (*result.correct) ++summary.correct;
  }
}

}  // namespace optscale::engine
