// How a (problem, response) pair is shown to a process reward model, as a
// configuration rather than code per model. The default is the
// Qwen2.5-Math-PRM convention (peers.md §2): its system prompt, the problem as
// the user turn, and the response split on blank lines into steps joined by
// <extra_0> with one more <extra_0> at the end, rendered client-side with the
// Qwen chat template (add_generation_prompt=False).
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace optscale::backend {

struct PrmFormat {
  std::string system = "Please reason step by step, and put your final answer within \\boxed{}.";
  // Placeholders: {system}, {problem}, {response} (the tagged steps).
  std::string chat_template =
      "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{problem}<|im_end|>\n"
      "<|im_start|>assistant\n{response}<|im_end|>\n";
  std::string step_separator = "\n\n";
  std::string step_tag = "<extra_0>";
};

// The response's steps (split on the separator, empty steps kept, as Python's
// str.split does) joined by the step tag, plus a trailing tag.
std::string tag_steps(std::string_view response, const PrmFormat& format);

// Number of step tags tag_steps puts in (= number of steps).
std::size_t count_steps(std::string_view response, const PrmFormat& format);

// The response cut to its first `steps` steps (split as count_steps splits,
// joined by the separator again); the whole response when it has no more.
// Inputs over the scorer's token budget keep the problem and the leading
// steps that fit: a PRM rates each step given the steps before it, so only
// a prefix keeps every sent step's reward what it is in the whole response
// (a suffix would be rated without the reasoning it builds on).
std::string leading_steps(std::string_view response, const PrmFormat& format, std::size_t steps);

// The full PRM input text.
std::string render_prm_input(std::string_view problem, std::string_view response, const PrmFormat& format);

enum class StepAggregation { mean, last, min, product };

// Parses "mean" | "last" | "min" | "product"; throws optscale::Error otherwise.
StepAggregation parse_step_aggregation(std::string_view name);

// A sample's score from its step rewards (each in [0, 1]); 0 without steps,
// as the reference does. The mean is summed in long double so that k equal
// rewards average back to exactly that reward; the product is taken in log
// space (0 as soon as a reward is 0).
double aggregate_steps(std::span<const double> rewards, StepAggregation how);

}  // namespace optscale::backend
