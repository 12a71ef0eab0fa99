// Problem embeddings from an OpenAI-compatible embeddings endpoint
// (llama.cpp `llama-server --embedding`, vLLM pooling models, Hugging Face
// text-embeddings-inference): POST {base}/v1/embeddings with
// {"model": ..., "input": [...]}, answered by {"data": [{"index": i,
// "embedding": [...]}, ...]}. See docs/predictor.md for server commands.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace optscale::predict {

struct EmbeddingEndpoint {
  std::string base_url;      // "http://127.0.0.1:8080" (a trailing "/v1" is accepted)
  std::string model;         // sent as "model"; servers serving one model may ignore it
  int batch_size = 32;       // texts per request, >= 1
  double timeout_s = 120.0;  // per request
  std::string api_key;       // sent as a bearer token when non-empty

  // The full embeddings URL: base_url + "/v1/embeddings".
  std::string url() const;
  // Throws optscale::Error for an empty or non-http(s) URL or batch_size < 1.
  void validate() const;
};

// The vectors of one answer to a request for `count` inputs, in input order.
// `where` names the request in errors; `dimension` is the dimension seen so
// far (0: none yet), which every vector must have, and is set by the first.
// Throws optscale::Error for a body that is not JSON, no "data" list, a
// wrong count, missing or duplicate indices, mixed dimensions and
// non-numeric or non-finite values.
std::vector<std::vector<float>> parse_embeddings_response(std::string_view answer, std::size_t count,
                                                          const std::string& where, std::size_t& dimension);

class EmbeddingClient {
 public:
  explicit EmbeddingClient(EmbeddingEndpoint endpoint);

  // One vector per text, in order, all of one dimension. Throws
  // optscale::Error naming the URL for transport failures, non-2xx answers,
  // malformed bodies, missing or duplicate indices, mixed dimensions and
  // non-finite values.
  std::vector<std::vector<float>> embed(std::span<const std::string> texts) const;

  const EmbeddingEndpoint& endpoint() const { return endpoint_; }

 private:
  EmbeddingEndpoint endpoint_;
};

}  // namespace optscale::predict
