// optscale plan: how many samples to draw so that the best score reaches a
// target with a given confidence (the sample-count bound, paper-spec §1), for
// one score law or for a whole dataset of them (--batch FILE.jsonl).
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "command.hpp"
#include "optscale/stats/sample_bound.hpp"
#include "optscale/stats/truncated_normal.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::cli {
namespace {

struct PlanOptions {
  double mu = 0.0, sigma = 0.0, target = 0.0, confidence = 0.0;
  int budget = 64;
  int peek = 0;
  std::string method = "exact";
  bool json = false;
  std::string batch;
};

struct PlanFlags {
  CLI::Option *mu, *sigma, *target, *confidence, *budget, *peek, *batch;
};

void append_double(std::string& out, double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// {"n":…,"outcome":"…","p_success":…} with the shortest round-trip doubles.
void append_json(std::string& out, const stats::SampleBound& bound) {
  out += "{\"n\":";
  out += std::to_string(bound.n);
  out += ",\"outcome\":\"";
  out += stats::to_string(bound.outcome);
  out += "\",\"p_success\":";
  // JSON has no NaN: the grid method's undefined probability is null.
  if (std::isfinite(bound.p_success)) {
    append_double(out, bound.p_success);
  } else {
    out += "null";
  }
  out += "}\n";
}

stats::SampleBound plan_one(double mu, double sigma, const stats::SampleBoundRequest& request) {
  return stats::required_samples(stats::TruncatedNormal(mu, sigma), request);
}

std::string describe(const stats::SampleBound& bound, const stats::SampleBoundRequest& request) {
  std::string why;
  switch (bound.outcome) {
    case stats::BoundOutcome::reached:
      why = "the confidence is met within the budget of " + std::to_string(request.budget);
      break;
    case stats::BoundOutcome::capped:
      why = "the confidence needs more than the budget of " + std::to_string(request.budget) +
            " samples";
      break;
    case stats::BoundOutcome::unreachable:
      why = "no score at or above the target is possible; the whole budget is spent";
      break;
    case stats::BoundOutcome::certain:
      why = "every score is at or above the target";
      break;
  }
  if (request.peek > 0 && bound.n == request.peek) {
    why += "; never fewer than the " + std::to_string(request.peek) + " peeked samples";
  }
  char line[200];
  if (std::isfinite(bound.p_success)) {
    std::snprintf(line, sizeof line, "P(best of %d >= %.10g) = %.6g\n", bound.n, request.target,
                  bound.p_success);
  } else {
    std::snprintf(line, sizeof line,
                  "P(best of %d >= %.10g) is undefined on the grid (its density underflows; "
                  "--method exact gives the law's)\n",
                  bound.n, request.target);
  }
  return "draw " + std::to_string(bound.n) + " sample" + (bound.n == 1 ? "" : "s") + " (" +
         stats::to_string(bound.outcome) + ": " + why + ")\n" + line;
}

// One JSONL line -> one decision. Throws optscale::Error (without the
// file:line prefix, which the caller adds).
stats::SampleBound plan_line(const std::string& line, stats::BoundMethod default_method) {
  nlohmann::json object;
  try {
    object = util::parse_json(line, "");
  } catch (const util::JsonInputError& e) {  // the caller adds file:line
    if (e.kind() != util::JsonInputError::Kind::syntax) throw Error(e.reason());
    throw Error("not valid JSON (" + e.reason() + ")");
  }
  if (!object.is_object())
    throw Error("expected a JSON object, got " + std::string(object.type_name()));
  std::optional<double> mu, sigma, target, confidence;
  std::optional<int> budget;
  stats::SampleBoundRequest request;
  request.method = default_method;
  auto number = [](const std::string& key, const nlohmann::json& value) {
    if (!value.is_number()) {
      throw Error("\"" + key + "\" must be a number, got " + value.dump());
    }
    const double x = value.get<double>();
    if (!std::isfinite(x)) throw Error("\"" + key + "\" must be finite, got " + value.dump());
    return x;
  };
  auto integer = [](const std::string& key, const nlohmann::json& value) {
    const bool fits = value.is_number_unsigned()
                          ? value.get<unsigned long long>() <= INT_MAX
                          : value.is_number_integer() && value.get<long long>() >= INT_MIN &&
                                value.get<long long>() <= INT_MAX;
    if (!fits)
      throw Error("\"" + key + "\" must be an integer of at most 10 digits, got " + value.dump());
    return static_cast<int>(value.get<long long>());
  };
  for (const auto& [key, value] : object.items()) {
    if (key == "mu") {
      mu = number(key, value);
    } else if (key == "sigma") {
      sigma = number(key, value);
    } else if (key == "target") {
      target = number(key, value);
    } else if (key == "confidence") {
      confidence = number(key, value);
    } else if (key == "budget") {
      budget = integer(key, value);
    } else if (key == "peek") {
      request.peek = integer(key, value);
    } else if (key == "method") {
      if (!value.is_string()) throw Error("\"method\" must be a string, got " + value.dump());
      request.method = stats::parse_bound_method(value.get<std::string>());
    } else {
      throw Error("unknown field \"" + key +
                  "\" (expected mu, sigma, target, confidence, budget, peek, method)");
    }
  }
  for (auto [present, name] : {std::pair{mu.has_value(), "mu"},
                               {sigma.has_value(), "sigma"},
                               {target.has_value(), "target"},
                               {confidence.has_value(), "confidence"},
                               {budget.has_value(), "budget"}}) {
    if (!present) throw Error(std::string("missing field \"") + name + "\"");
  }
  if (!(*confidence > 0.0 && *confidence < 1.0)) {
    throw Error("\"confidence\" must be in (0, 1), got " + object["confidence"].dump());
  }
  request.target = *target;
  request.risk = 1.0 - *confidence;
  request.budget = *budget;
  return plan_one(*mu, *sigma, request);
}

int run_batch(const std::string& path, stats::BoundMethod default_method) {
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string name = path == "-" ? "<stdin>" : path;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw Error("plan --batch: cannot open " + path);
    in = &file;
  }
  std::string line, out;
  constexpr std::size_t kFlushAt = 1 << 20;
  out.reserve(kFlushAt + 256);
  long long line_number = 0;
  while (std::getline(*in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    try {
      if (line.find_first_not_of(" \t") == std::string::npos) {
        throw Error("empty line, expected a JSON object");
      }
      append_json(out, plan_line(line, default_method));
    } catch (const Error& e) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      throw Error(name + ":" + std::to_string(line_number) + ": " + e.what());
    }
    if (out.size() >= kFlushAt) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  if (in->bad()) throw Error("plan --batch: error reading " + name);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}

int run_plan(const PlanOptions& options, const PlanFlags& flags) {
  const stats::BoundMethod method = stats::parse_bound_method(options.method);
  if (flags.batch->count() > 0) {
    for (const CLI::Option* single :
         {flags.mu, flags.sigma, flags.target, flags.confidence, flags.budget, flags.peek}) {
      if (single->count() > 0) {
        throw Error("plan: --batch reads every parameter from the file; drop " +
                    single->get_name() + " (or its " + single->get_envname() + " variable)");
      }
    }
    return run_batch(options.batch, method);
  }
  for (const CLI::Option* required : {flags.mu, flags.sigma, flags.target, flags.confidence}) {
    if (required->count() == 0) {
      throw Error("plan: " + required->get_name() + " is required (or give --batch FILE.jsonl)");
    }
  }
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    char value[32];
    const auto end = std::to_chars(value, value + sizeof value, options.confidence).ptr;
    throw Error("plan: --confidence must be in (0, 1), got " + std::string(value, end));
  }
  stats::SampleBoundRequest request;
  request.target = options.target;
  request.risk = 1.0 - options.confidence;
  request.budget = options.budget;
  request.peek = options.peek;
  request.method = method;
  const stats::SampleBound bound = plan_one(options.mu, options.sigma, request);
  std::string out;
  if (options.json) {
    append_json(out, bound);
  } else {
    out = describe(bound, request);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

const CommandRegistration registration(
    "plan", "Samples needed so that the best score reaches a target with a given confidence",
    [](CLI::App& sub) -> std::function<int()> {
      auto options = std::make_shared<PlanOptions>();
      auto flags = std::make_shared<PlanFlags>();
      flags->mu =
          add_flag_option(sub, "--mu", options->mu, "mu of the score law TN(mu, sigma) on [0,1]");
      flags->sigma =
          add_flag_option(sub, "--sigma", options->sigma, "sigma of the score law (> 0)");
      flags->target = add_flag_option(sub, "--target", options->target, "target score s*");
      flags->confidence = add_flag_option(sub, "--confidence", options->confidence,
                                          "required P(best score >= target), in (0, 1)");
      flags->budget =
          add_flag_option(sub, "--budget", options->budget, "most samples to draw (default 64)");
      flags->peek = add_flag_option(sub, "--peek", options->peek,
                                    "samples already drawn: never answer fewer (default 0)");
      add_flag_option(sub, "--method", options->method,
                      "exact (closed form, default) or grid (the reference's 1000-point routine)");
      flags->batch = add_flag_option(
          sub, "--batch", options->batch,
          "JSONL file (- for stdin): one {mu, sigma, target, confidence, budget[, peek, method]} "
          "per line; one result object per line out");
      sub.add_flag("--json", options->json, "print one JSON object {n, outcome, p_success}")
          ->envname(env_name("--json"));
      return [options, flags] { return run_plan(*options, *flags); };
    });

}  // namespace
}  // namespace optscale::cli
