// PRM input rendering (Qwen2.5-Math-PRM convention), step aggregation and
// prompt templates.
#include "optscale/backend/prm_input.hpp"

#include <gtest/gtest.h>

#include "optscale/backend/prompt_template.hpp"
#include "optscale/util/error.hpp"

namespace optscale::backend {
namespace {

TEST(PrmInput, SplitsOnBlankLinesKeepingEmptyStepsAndAddsATrailingTag) {
  PrmFormat format;
  EXPECT_EQ(tag_steps("a\n\nb", format), "a<extra_0>b<extra_0>");
  EXPECT_EQ(tag_steps("a\n\n\n\nb\n\n", format), "a<extra_0><extra_0>b<extra_0><extra_0>");
  EXPECT_EQ(tag_steps("", format), "<extra_0>");
  EXPECT_EQ(count_steps("a\n\n\n\nb\n\n", format), 4u);
  EXPECT_EQ(count_steps("one", format), 1u);
}

TEST(PrmInput, RendersTheQwenChatTemplate) {
  PrmFormat format;
  EXPECT_EQ(render_prm_input("What is {response}?", "x\n\ny", format),
            "<|im_start|>system\nPlease reason step by step, and put your final answer within "
            "\\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is {response}?<|im_end|>\n"
            "<|im_start|>assistant\nx<extra_0>y<extra_0><|im_end|>\n");
  const PrmFormat custom{"", "[{problem}] {response}", "\n", " <step>"};
  EXPECT_EQ(render_prm_input("p", "s1\ns2", custom), "[p] s1 <step>s2 <step>");
}

TEST(StepAggregation, MeanLastMinProduct) {
  std::vector<double> r{0.9, 0.5, 0.8};
  EXPECT_NEAR(aggregate_steps(r, StepAggregation::mean), 2.2 / 3, 1e-15);
  EXPECT_EQ(aggregate_steps(r, StepAggregation::last), 0.8);
  EXPECT_EQ(aggregate_steps(r, StepAggregation::min), 0.5);
  EXPECT_NEAR(aggregate_steps(r, StepAggregation::product), 0.36, 1e-15);
  EXPECT_EQ(aggregate_steps(std::vector<double>{0.5, 0.0}, StepAggregation::product), 0.0);
  EXPECT_EQ(aggregate_steps({}, StepAggregation::mean), 0.0);
  EXPECT_EQ(parse_step_aggregation("prod"), StepAggregation::product);
  EXPECT_THROW(parse_step_aggregation("median"), Error);
}

TEST(StepAggregation, TheMeanOfEqualRewardsIsExactlyThatReward) {
  // A double sum of k copies then a division can miss by an ulp; the
  // long-double sum must not, so live scores equal pool scores bit for bit.
  for (double s : {0.1, 0.7, 0.93371, 1.0 / 3, 0.999999})
    for (std::size_t k : {1u, 3u, 7u, 10u, 49u, 300u, 2000u}) {
      std::vector<double> rewards(k, s);
      EXPECT_EQ(aggregate_steps(rewards, StepAggregation::mean), s) << s << " x " << k;
    }
}

TEST(PromptTemplate, FillsPlaceholdersOnceAndKeepsOtherBraces) {
  EXPECT_EQ(render_template("Q: {problem} \\boxed{} {unknown}", {{"problem", "{problem} x"}}),
            "Q: {problem} x \\boxed{} {unknown}");
  EXPECT_EQ(render_template("{a}{b}", {{"a", "1"}, {"b", "2"}}), "12");
  EXPECT_EQ(render_template("{", {{"a", "1"}}), "{");
}

TEST(PromptTemplate, DecodesCommandLineEscapes) {
  EXPECT_EQ(decode_escapes("\\n\\n"), "\n\n");
  EXPECT_EQ(decode_escapes("a\\tb\\\\n\\x"), "a\tb\\n\\x");
}

}  // namespace
}  // namespace optscale::backend
