// Cost of answer checking in the replay: extract + canonical_key per sample,
// answers_equivalent per pair. Inputs are the MATH500 worked solutions and
// golds from ../shared/data (or $OPTSCALE_SHARED_DATA); without them, a small
// hand-written set of answers stands in.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "optscale/answers/answers.hpp"

namespace {

namespace fs = std::filesystem;
using namespace optscale::answers;

struct Corpus {
  std::vector<std::string> solutions;  // texts ending in a boxed answer
  std::vector<std::string> golds;
};

Corpus load_corpus() {
  Corpus c;
  fs::path data = fs::path(OPTSCALE_SOURCE_DIR) / ".." / "shared" / "data";
  if (const char* env = std::getenv("OPTSCALE_SHARED_DATA"); env && *env) data = env;
  std::ifstream in(data / "optscale-reference" / "test_prompts" / "math500_test.json");
  if (in) {
    for (const auto& item : nlohmann::json::parse(in)) {
      c.solutions.push_back(item.at("solution").get<std::string>());
      c.golds.push_back(item.at("answer").get<std::string>());
    }
    return c;
  }
  c.golds = {"6",        "\\frac{1}{2}",   "0.5",          "2\\sqrt{3}",      "(1,2]",
             "3, 5, 7",  "\\text{(C)}",    "15x - 80",     "75^\\circ",       "\\$32,\\!348",
             "-2 + 7i",  "1 \\pm \\sqrt{19}", "x \\in [-2,7]", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
             "12\\pi",   "\\frac{\\sqrt{3}}{3}"};
  for (const std::string& g : c.golds) c.solutions.push_back("We compute step by step and find \\boxed{" + g + "}.");
  return c;
}

const Corpus& corpus() {
  static const Corpus c = load_corpus();
  return c;
}

// An R1-length completion (~35,000 characters, about 10k tokens): reasoning
// text full of LaTeX, then the final box.
std::vector<std::string> long_completions() {
  const Corpus& c = corpus();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < 64 && i < c.solutions.size(); ++i) {
    std::string text = "<think>\n";
    for (std::size_t k = 0; text.size() < 35000; ++k) {
      const std::string& s = c.solutions[(i + k) % c.solutions.size()];
      text.append(s, 0, s.find("\\boxed"));  // reasoning without earlier boxes
      text.append("\n\n");
    }
    text.append("</think>\nSo the final answer is $\\boxed{").append(c.golds[i]).append("}$.");
    out.push_back(std::move(text));
  }
  return out;
}

void BM_ExtractAndKey_Math500Solution(benchmark::State& state) {
  const auto& texts = corpus().solutions;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto answer = extract_answer(texts[i++ % texts.size()]);
    benchmark::DoNotOptimize(answer ? canonical_key(*answer) : std::string());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExtractAndKey_Math500Solution);

void BM_ExtractAndKey_LongCompletion(benchmark::State& state) {
  static const std::vector<std::string> texts = long_completions();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto answer = extract_answer(texts[i++ % texts.size()]);
    benchmark::DoNotOptimize(answer ? canonical_key(*answer) : std::string());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExtractAndKey_LongCompletion);

void BM_CanonicalKey_Gold(benchmark::State& state) {
  const auto& golds = corpus().golds;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(canonical_key(golds[i++ % golds.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalKey_Gold);

// Grading: each gold against the box of its own solution (mostly equal).
void BM_AnswersEquivalent_GoldVsOwnBox(benchmark::State& state) {
  const Corpus& c = corpus();
  std::vector<std::string> boxes;
  for (const std::string& s : c.solutions) boxes.push_back(last_boxed(s).value_or(""));
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ % c.golds.size();
    benchmark::DoNotOptimize(answers_equivalent(c.golds[k], boxes[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnswersEquivalent_GoldVsOwnBox);

// Voting/grading against a wrong answer: each gold against another problem's gold.
void BM_AnswersEquivalent_GoldVsOtherGold(benchmark::State& state) {
  const auto& golds = corpus().golds;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ % golds.size();
    benchmark::DoNotOptimize(answers_equivalent(golds[k], golds[(k * 7 + 3) % golds.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnswersEquivalent_GoldVsOtherGold);

}  // namespace
