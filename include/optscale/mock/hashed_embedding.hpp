// Deterministic text embeddings for the mock server's /v1/embeddings: signed
// feature hashing of lower-cased words and word pairs, L2-normalised. Texts
// that share words get similar vectors, so a regression head trained on them
// learns something, yet nothing depends on a model.
#pragma once
#include <string_view>
#include <vector>

namespace optscale::mock {

// `dimensions` >= 1. A text without any word maps to the first unit vector.
std::vector<double> hashed_embedding(std::string_view text, int dimensions);

}  // namespace optscale::mock
