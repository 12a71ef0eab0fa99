#include "optscale/predict/labels.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::predict {
namespace {

using nlohmann::json;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool looks_like_json_array(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '[';
}

// Non-empty lines of a JSONL file, each parsed, with its 1-based line number.
std::vector<std::pair<std::size_t, json>> parse_jsonl(const std::string& text,
                                                      const std::filesystem::path& path) {
  std::vector<std::pair<std::size_t, json>> rows;
  std::istringstream in(text);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(number);
    try {
      rows.emplace_back(number, util::parse_json(line, where));
    } catch (const util::JsonInputError& e) {
      if (e.kind() != util::JsonInputError::Kind::syntax) throw;
      throw Error(where + ": malformed JSON (" + e.reason() + ")");
    }
  }
  return rows;
}

ProblemText problem_from_json(const json& item, const std::string& where) {
  ProblemText p;
  if (item.is_string()) {
    p.problem = item.get<std::string>();
  } else if (item.is_object()) {
    const char* field = item.contains("problem") ? "problem" : "question";
    require(item.contains(field) && item[field].is_string(), where,
            "expected a string field \"problem\" (or \"question\")");
    p.problem = item[field].get<std::string>();
    for (const char* id_field : {"id", "unique_id"}) {
      if (item.contains(id_field)) {
        const auto& id = item[id_field];
        p.id = id.is_string() ? id.get<std::string>() : id.dump();
        break;
      }
    }
  } else {
    throw Error(where + ": expected a problem string or object");
  }
  require(!p.problem.empty(), where, "empty problem text");
  return p;
}

double finite_number(const json& value, const std::string& where, const char* what) {
  require(value.is_number(), where, [&] { return std::string(what) + " must be a number"; });
  const double v = value.get<double>();
  require(std::isfinite(v), where, [&] { return std::string(what) + " must be finite"; });
  return v;
}

void check_label(const LabeledProblem& label, const std::string& where) {
  require(label.sigma >= 0.0, where, "sigma must be >= 0");
}

}  // namespace

std::vector<ProblemText> read_problems(const std::filesystem::path& path) {
  const std::string text = read_text(path);
  std::vector<ProblemText> problems;
  if (looks_like_json_array(text)) {
    json list;
    try {
      list = util::parse_json(text, path.string());
    } catch (const util::JsonInputError& e) {
      if (e.kind() != util::JsonInputError::Kind::syntax) throw;
      throw Error(path.string() + ": malformed JSON (" + e.reason() + ")");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      problems.push_back(problem_from_json(list[i], path.string() + ": item " + std::to_string(i)));
    }
  } else {
    for (auto& [line, item] : parse_jsonl(text, path)) {
      problems.push_back(problem_from_json(item, path.string() + ":" + std::to_string(line)));
    }
  }
  require(!problems.empty(), path.string(), "no problems");
  return problems;
}

std::vector<LabeledProblem> read_labels(const std::filesystem::path& labels_path,
                                        const std::optional<std::filesystem::path>& problems_path) {
  const std::string text = read_text(labels_path);
  const std::string where = labels_path.string();
  std::vector<LabeledProblem> labels;
  if (problems_path) {
    json list;
    try {
      list = util::parse_json(text, where);
    } catch (const util::JsonInputError& e) {
      if (e.kind() != util::JsonInputError::Kind::syntax) throw;
      throw Error(where + ": malformed JSON (" + e.reason() + ")");
    }
    require(list.is_array(), where, "expected a JSON list of [mean, std] pairs");
    const auto problems = read_problems(*problems_path);
    require(list.size() == problems.size(), where,
            [&] { return std::to_string(list.size()) + " labels for " + std::to_string(problems.size()) +
                " problems in " + problems_path->string(); });
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item = where + ": item " + std::to_string(i);
      require(list[i].is_array() && list[i].size() == 2, item, "expected [mean, std]");
      LabeledProblem label{problems[i].id, problems[i].problem,
                           finite_number(list[i][0], item, "mean"),
                           finite_number(list[i][1], item, "std")};
      check_label(label, item);
      labels.push_back(std::move(label));
    }
  } else {
    require(!looks_like_json_array(text), where,
            "a JSON list of [mean, std] needs its problems file (--problems)");
    for (auto& [line, item] : parse_jsonl(text, labels_path)) {
      const std::string at = where + ":" + std::to_string(line);
      require(item.is_object(), at, "expected {\"problem\", \"mu\", \"sigma\"}");
      require(item.contains("mu") && item.contains("sigma"), at, "missing \"mu\" or \"sigma\"");
      const ProblemText p = problem_from_json(item, at);
      LabeledProblem label{p.id, p.problem, finite_number(item["mu"], at, "mu"),
                           finite_number(item["sigma"], at, "sigma")};
      check_label(label, at);
      labels.push_back(std::move(label));
    }
  }
  require(!labels.empty(), where, "no labels");
  return labels;
}

void write_labels_jsonl(const std::vector<LabeledProblem>& labels,
                        const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  require(static_cast<bool>(out), path.string(), "cannot open for writing");
  for (const auto& label : labels) {
    json row = {{"problem", label.problem}, {"mu", label.mu}, {"sigma", label.sigma}};
    if (!label.id.empty()) row["id"] = label.id;
    out << row.dump() << '\n';
  }
  require(static_cast<bool>(out), path.string(), "write failed");
}

}  // namespace optscale::predict
