#include "optscale/predict/embedding_client.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "optscale/backend/http_client.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::predict {

std::string EmbeddingEndpoint::url() const {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0) {
    return base + "/embeddings";
  }
  return base + "/v1/embeddings";
}

void EmbeddingEndpoint::validate() const {
  require(!base_url.empty(), "embeddings endpoint", "no URL given (--embed-url)");
  require(base_url.rfind("http://", 0) == 0 || base_url.rfind("https://", 0) == 0,
          "embeddings endpoint", [&] { return "URL '" + base_url + "' must start with http:// or https://"; });
  require(batch_size >= 1, "embeddings endpoint", "batch size must be at least 1");
  require(std::isfinite(timeout_s) && timeout_s > 0.0, "embeddings endpoint",
          "timeout must be finite and > 0");
}

std::vector<std::vector<float>> parse_embeddings_response(std::string_view answer, std::size_t count,
                                                          const std::string& where, std::size_t& dimension) {
  using nlohmann::json;
  json body;
  try {
    body = util::parse_json(answer, where);
  } catch (const util::JsonInputError& e) {
    if (e.kind() != util::JsonInputError::Kind::syntax) throw;
    throw Error(where + ": the answer is not JSON (" + e.reason() + ")");
  }
  require(body.is_object() && body.contains("data") && body["data"].is_array(), where,
          "the answer has no \"data\" list");
  const json& data = body["data"];
  require(data.size() == count, where,
          [&] { return "asked for " + std::to_string(count) + " embeddings, got " + std::to_string(data.size()); });
  std::vector<std::vector<float>> batch(count);
  for (std::size_t k = 0; k < count; ++k) {
    const json& item = data[k];
    require(item.is_object() && item.contains("embedding") && item["embedding"].is_array(), where,
            [&] { return "data[" + std::to_string(k) + "] has no \"embedding\" list"; });
    // Servers may reorder; "index" says which input an entry belongs to.
    std::size_t index = k;
    if (item.contains("index")) {
      require(item["index"].is_number_unsigned(), where,
              [&] { return "data[" + std::to_string(k) + "].index must be a non-negative integer"; });
      index = item["index"].get<std::size_t>();
    }
    require(index < count, where, [&] { return "data[" + std::to_string(k) + "].index out of range"; });
    require(batch[index].empty(), where, [&] { return "two embeddings for input " + std::to_string(index); });
    const json& values = item["embedding"];
    require(!values.empty(), where, [&] { return "empty embedding for input " + std::to_string(index); });
    std::vector<float> vector;
    vector.reserve(values.size());
    for (const auto& v : values) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        throw Error(where + ": non-numeric or non-finite embedding value for input " +
                    std::to_string(index));
      }
      const double x = v.get<double>();
      vector.push_back(static_cast<float>(x));
    }
    if (dimension == 0) dimension = vector.size();
    require(vector.size() == dimension, where,
            [&] { return "embedding of dimension " + std::to_string(vector.size()) + " where earlier ones had " +
                std::to_string(dimension); });
    batch[index] = std::move(vector);
  }
  return batch;
}

EmbeddingClient::EmbeddingClient(EmbeddingEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  endpoint_.validate();
}

std::vector<std::vector<float>> EmbeddingClient::embed(std::span<const std::string> texts) const {
  using nlohmann::json;
  const std::string url = endpoint_.url();
  backend::HttpClient http;
  backend::HttpRequestOptions options;
  options.timeout_s = endpoint_.timeout_s;
  options.bearer_token = endpoint_.api_key;
  std::vector<std::vector<float>> vectors;
  vectors.reserve(texts.size());
  std::size_t dimension = 0;
  for (std::size_t start = 0; start < texts.size(); start += endpoint_.batch_size) {
    const std::size_t count =
        std::min<std::size_t>(endpoint_.batch_size, texts.size() - start);
    json request = {{"model", endpoint_.model}, {"input", json::array()}};
    for (std::size_t k = 0; k < count; ++k) request["input"].push_back(texts[start + k]);
    const auto response = http.post_json(url, request.dump(), options);
    if (!response.ok()) throw Error(backend::describe_http_failure("POST", url, response));
    const std::string where = "POST " + url + " (inputs " + std::to_string(start) + ".." +
                              std::to_string(start + count - 1) + ")";
    std::vector<std::vector<float>> batch = parse_embeddings_response(response.body, count, where, dimension);
    for (auto& v : batch) vectors.push_back(std::move(v));
  }
  return vectors;
}

}  // namespace optscale::predict
