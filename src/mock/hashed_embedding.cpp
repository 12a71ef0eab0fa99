#include "optscale/mock/hashed_embedding.hpp"

#include <cctype>
#include <cmath>
#include <string>

#include "optscale/util/error.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::mock {

std::vector<double> hashed_embedding(std::string_view text, int dimensions) {
  require(dimensions >= 1, "hashed_embedding", "dimensions must be at least 1");
  std::vector<double> vector(static_cast<std::size_t>(dimensions), 0.0);
  auto add = [&](std::string_view feature) {
    std::uint64_t h = util::fnv1a64(feature);
    double sign = (h >> 63) ? -1.0 : 1.0;
    vector[(h & 0x7fffffffffffffffULL) % static_cast<std::uint64_t>(dimensions)] += sign;
  };
  std::string previous, word;
  auto flush = [&] {
    if (word.empty()) return;
    add(word);
    if (!previous.empty()) add(previous + ' ' + word);
    previous = std::move(word);
    word.clear();
  };
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      word += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  double norm = 0.0;
  for (double v : vector) norm += v * v;
  if (norm == 0.0) {
    vector[0] = 1.0;
    return vector;
  }
  norm = std::sqrt(norm);
  for (double& v : vector) v /= norm;
  return vector;
}

}  // namespace optscale::mock
