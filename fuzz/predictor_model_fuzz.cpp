// Predictor model files (docs/predictor.md), as `--predictor` loads them.
// Contract: a model or optscale::Error naming the field; a text model that
// loads predicts finite mu and sigma >= its sigma floor > 0 for any text
// (values beyond what a prior can mean are clipped), or refuses the texts
// with optscale::Error when its arithmetic gives no number at all (NaN).
// (Embedding models are loaded but not asked: they would call a server.)
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/predict/predictor_model.hpp"

using namespace optscale;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path& path = fuzz::write_input(fuzz::as_text(data, size), ".json");
  predict::PredictorModel model;
  if (!fuzz::refused_or_done([&] { model = predict::load_model(path); })) return 0;
  FUZZ_CHECK(model.features != nullptr, "a loaded model has features");
  FUZZ_CHECK(model.sigma_floor > 0.0, "sigma floor > 0");
  if (model.features->kind() != "text") return 0;
  const std::vector<std::string> texts{"What is 2 + 2?", "", "Find all real x with x^2 = 2 \\boxed{}"};
  std::vector<predict::Prediction> predictions;
  std::string refusal;
  try {
    predictions = model.predict_texts(texts);
  } catch (const Error& e) {
    refusal = e.what();
  }
  if (!refusal.empty()) {
    FUZZ_CHECK(refusal.find("is not a number") != std::string::npos,
               "a model that loads predicts (or refuses a NaN): " + refusal);
    return 0;
  }
  for (const predict::Prediction& p : predictions)
    FUZZ_CHECK(std::isfinite(p.mu) && std::isfinite(p.sigma) && p.sigma >= model.sigma_floor,
               "prediction mu=" + std::to_string(p.mu) + " sigma=" + std::to_string(p.sigma));
  return 0;
}
