// Prior predictor speed: one prediction with the shipped default model (the
// per-problem cost OptScale^t pays before sampling), its parts, loading the
// model, and training the default model on the 4,501 MATH problems (needs
// ../shared/data; skipped without it).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "optscale/predict/labels.hpp"
#include "optscale/predict/model_predictor.hpp"
#include "optscale/predict/text_features.hpp"
#include "optscale/predict/trainer.hpp"

namespace {

using namespace optscale::predict;

const std::filesystem::path kDefaultModel =
    std::filesystem::path(OPTSCALE_SOURCE_DIR) / "models" / "default-predictor.json";

// Typical MATH problems: short, medium (the median is ~140 characters) and long.
const std::vector<std::string> kProblems = {
    "What is the smallest positive integer $n$ such that $17n \\equiv 1234 \\pmod{7}?$",
    "Let $f(x) = \\frac{3x^2 + 5x - 2}{x^2 - 4}$. Find all vertical asymptotes of the graph of "
    "$y = f(x)$, and compute the sum of the $x$-coordinates of its holes, if any.",
    "In triangle $ABC$, $AB = 13$, $BC = 14$, and $CA = 15$. Let $D$ be the foot of the altitude "
    "from $A$ to $BC$, and let $E$ be the point on $AC$ such that $BE$ bisects angle $ABC$. The "
    "lines $AD$ and $BE$ meet at $P$. Find the ratio $AP:PD$, and express the area of triangle "
    "$ABP$ as a common fraction of the area of triangle $ABC$. [asy]\ndraw((0,0)--(14,0)--(5,12)"
    "--cycle);\nlabel(\"$A$\",(5,12),N);\nlabel(\"$B$\",(0,0),SW);\nlabel(\"$C$\",(14,0),SE);\n[/asy]"};

const ModelPredictor& default_predictor() {
  static const ModelPredictor predictor = ModelPredictor::load(kDefaultModel);
  return predictor;
}

void BM_PredictOne(benchmark::State& state) {
  const auto& predictor = default_predictor();
  const std::string& text = kProblems[state.range(0)];
  for (auto _ : state) benchmark::DoNotOptimize(predictor.predict({text}));
  state.SetLabel(std::to_string(text.size()) + " chars");
}
BENCHMARK(BM_PredictOne)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_FeaturizeOne(benchmark::State& state) {
  const auto& features = dynamic_cast<const TextFeaturizer&>(*default_predictor().model().features);
  const std::string& text = kProblems[state.range(0)];
  for (auto _ : state) benchmark::DoNotOptimize(features.transform(text));
}
BENCHMARK(BM_FeaturizeOne)->Arg(0)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_LoadDefaultModel(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(load_model(kDefaultModel));
}
BENCHMARK(BM_LoadDefaultModel)->Unit(benchmark::kMillisecond);

std::filesystem::path shared_data() {
  std::filesystem::path dir = std::filesystem::path(OPTSCALE_SOURCE_DIR) / ".." / "shared" / "data";
  if (const char* env = std::getenv("OPTSCALE_SHARED_DATA"); env && *env) dir = env;
  return dir / "optscale-reference" / "predictor_training";
}

// The default model's training exactly as models/README.md runs it (5-fold
// CV over 5 penalties, 2 threads), without the validation report.
void BM_TrainDefaultModel(benchmark::State& state) {
  const auto dir = shared_data();
  if (!std::filesystem::is_directory(dir)) {
    state.SkipWithError("../shared/data not present");
    return;
  }
  const auto labels = read_labels(dir / "train_mu_sigma.json", dir / "train_data.json");
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        train_predictor(std::make_unique<TextFeaturizer>(), labels, TrainOptions{}));
  }
  state.SetLabel(std::to_string(labels.size()) + " problems");
}
BENCHMARK(BM_TrainDefaultModel)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
