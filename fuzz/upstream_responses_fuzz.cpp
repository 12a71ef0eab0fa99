// What model servers answer (include/optscale/backend/openai_response.hpp,
// pooling_response.hpp, predict/embedding_client.hpp): the first byte picks
// the parser and its settings, the rest is the body. Contract: a result or
// optscale::Error (MalformedResponse is one); token counts are >= 0; every
// reward, class probability and judge verdict is a probability; embeddings
// are finite, one per input, all of one dimension.
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "optscale/backend/openai_response.hpp"
#include "optscale/backend/pooling_response.hpp"
#include "optscale/predict/embedding_client.hpp"

using namespace optscale;

namespace {

bool probability(double p) { return p >= 0.0 && p <= 1.0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned selector = data[0];
  const std::string_view body = fuzz::as_text(data + 1, size - 1);
  const int positive = static_cast<int>((selector >> 3) & 1);
  const std::size_t inputs = 1 + ((selector >> 4) & 3);
  fuzz::refused_or_done([&] {
    switch (selector % 7) {
      case 0:
      case 1: {
        const backend::CompletionResponse r =
            backend::parse_completion_response(body, selector % 7 == 0, (selector >> 3) & 1);
        for (const backend::CompletionChoice& c : r.choices) FUZZ_CHECK(!c.tokens || *c.tokens >= 0, "tokens");
        FUZZ_CHECK(!r.usage_completion_tokens || *r.usage_completion_tokens >= 0, "usage tokens");
        break;
      }
      case 2: {
        // No verdict (nullopt) is the unreadable judge reply; a verdict is a probability.
        const std::optional<double> p = backend::parse_judge_response(body, "Yes", "No");
        FUZZ_CHECK(!p || probability(*p), "judge verdict " + std::to_string(p.value_or(-1.0)));
        break;
      }
      case 3:
        backend::server_error_message(body);
        break;
      case 4: {
        std::vector<std::size_t> steps;
        for (std::size_t i = 0; i < inputs; ++i) steps.push_back(1 + ((selector >> (i + 5)) & 1) * 2);
        const auto rewards = backend::parse_pooling_response(body, steps, positive);
        FUZZ_CHECK(rewards.size() == steps.size(), "one reward list per input");
        for (std::size_t i = 0; i < rewards.size(); ++i) {
          FUZZ_CHECK(rewards[i].size() == steps[i], "one reward per step");
          for (double p : rewards[i]) FUZZ_CHECK(probability(p), "step reward " + std::to_string(p));
        }
        break;
      }
      case 5: {
        const auto scores = backend::parse_classify_response(body, inputs, positive);
        FUZZ_CHECK(scores.size() == inputs, "one score per input");
        for (double p : scores) FUZZ_CHECK(probability(p), "class probability " + std::to_string(p));
        break;
      }
      case 6: {
        std::size_t dimension = 0;
        const auto vectors = predict::parse_embeddings_response(body, inputs, "fuzz", dimension);
        FUZZ_CHECK(vectors.size() == inputs, "one embedding per input");
        for (const auto& v : vectors) {
          FUZZ_CHECK(v.size() == dimension && dimension > 0, "one dimension");
          for (float x : v) FUZZ_CHECK(std::isfinite(x), "finite embedding values");
        }
        break;
      }
    }
  });
  return 0;
}
