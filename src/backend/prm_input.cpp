#include "optscale/backend/prm_input.hpp"

#include <algorithm>
#include <cmath>

#include "optscale/backend/prompt_template.hpp"
#include "optscale/util/error.hpp"

namespace optscale::backend {

std::string tag_steps(std::string_view response, const PrmFormat& format) {
  if (format.step_separator.empty()) return std::string(response) + format.step_tag;
  std::string out;
  out.reserve(response.size() + 16 * format.step_tag.size());
  std::size_t start = 0;
  while (true) {
    auto at = response.find(format.step_separator, start);
    out.append(response.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    out += format.step_tag;
    if (at == std::string_view::npos) break;
    start = at + format.step_separator.size();
  }
  return out;
}

std::size_t count_steps(std::string_view response, const PrmFormat& format) {
  if (format.step_separator.empty()) return 1;
  std::size_t steps = 1;
  for (auto at = response.find(format.step_separator); at != std::string_view::npos;
       at = response.find(format.step_separator, at + format.step_separator.size()))
    ++steps;
  return steps;
}

std::string leading_steps(std::string_view response, const PrmFormat& format, std::size_t steps) {
  if (format.step_separator.empty() || steps == 0) return steps == 0 ? std::string() : std::string(response);
  std::size_t at = 0, seen = 0;
  while (true) {
    auto next = response.find(format.step_separator, at);
    if (next == std::string_view::npos) return std::string(response);
    if (++seen == steps) return std::string(response.substr(0, next));
    at = next + format.step_separator.size();
  }
}

std::string render_prm_input(std::string_view problem, std::string_view response, const PrmFormat& format) {
  return render_template(format.chat_template, {{"system", format.system},
                                                {"problem", std::string(problem)},
                                                {"response", tag_steps(response, format)}});
}

StepAggregation parse_step_aggregation(std::string_view name) {
  if (name == "mean") return StepAggregation::mean;
  if (name == "last") return StepAggregation::last;
  if (name == "min") return StepAggregation::min;
  if (name == "product" || name == "prod") return StepAggregation::product;
  throw Error("--aggregation '" + std::string(name) + "': expected mean, last, min or product");
}

double aggregate_steps(std::span<const double> rewards, StepAggregation how) {
  if (rewards.empty()) return 0.0;
  switch (how) {
    case StepAggregation::mean: {
      long double sum = 0.0L;
      for (double r : rewards) sum += r;
      return static_cast<double>(sum / static_cast<long double>(rewards.size()));
    }
    case StepAggregation::last:
      return rewards.back();
    case StepAggregation::min:
      return *std::min_element(rewards.begin(), rewards.end());
    case StepAggregation::product: {
      double log_sum = 0.0;
      for (double r : rewards) {
        if (r <= 0.0) return 0.0;
        log_sum += std::log(r);
      }
      return std::exp(log_sum);
    }
  }
  return 0.0;
}

}  // namespace optscale::backend
