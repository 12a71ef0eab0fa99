#include "optscale/backend/pooling_response.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "optscale/backend/openai_response.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::backend {
namespace {

using nlohmann::json;

// The response's items, ordered by `index` when they carry one.
std::vector<json> ordered_items(std::string_view body, std::size_t expected, std::string_view what) {
  json response;
  try {
    response = util::parse_json(body, std::string(what) + " response");
  } catch (const util::JsonInputError& e) {
    if (e.kind() == util::JsonInputError::Kind::syntax)
      throw MalformedResponse(std::string(what) + " response is not valid JSON (" +
                              std::to_string(body.size()) + " bytes)");
    throw MalformedResponse(e.what());
  }
  const json* list = nullptr;
  if (response.is_array()) {
    list = &response;
  } else if (response.is_object() && response.contains("data") && response["data"].is_array()) {
    list = &response["data"];
  }
  if (!list) throw MalformedResponse(std::string(what) + " response has no 'data' list");
  if (list->size() != expected)
    throw MalformedResponse(std::string(what) + " response has " + std::to_string(list->size()) +
                            " items for " + std::to_string(expected) + " inputs");
  std::vector<std::pair<long long, json>> indexed;
  long long position = 0;
  for (const json& item : *list) {
    long long index = item.is_object() && item.contains("index") && item["index"].is_number_integer()
                          ? item["index"].get<long long>()
                          : position;
    indexed.emplace_back(index, item);
    ++position;
  }
  std::stable_sort(indexed.begin(), indexed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<json> items;
  for (auto& [index, item] : indexed) items.push_back(std::move(item));
  return items;
}

double probability(const json& value, std::string_view where) {
  if (!value.is_number())
    throw MalformedResponse(std::string(where) + ": expected a number, got " + util::json_excerpt(value));
  double p = value.get<double>();
  if (!std::isfinite(p) || p < 0.0 || p > 1.0)
    throw MalformedResponse(std::string(where) + ": " + std::to_string(p) +
                            " is not a probability (is the server's softmax off?)");
  return p;
}

}  // namespace

std::vector<std::vector<double>> parse_pooling_response(std::string_view body,
                                                        std::span<const std::size_t> steps,
                                                        int positive_index) {
  auto items = ordered_items(body, steps.size(), "the /pooling");
  std::vector<std::vector<double>> rewards(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "/pooling item " + std::to_string(i);
    const json* payload = &items[i];
    if (items[i].is_object()) {
      payload = nullptr;
      for (const char* key : {"data", "embedding", "probs"}) {
        if (items[i].contains(key)) {
          payload = &items[i][key];
          break;
        }
      }
      if (!payload) throw MalformedResponse(where + " has no 'data'");
    }
    const std::size_t expected = steps[i];
    std::vector<double>& out = rewards[i];
    if (payload->is_number()) {
      out.push_back(probability(*payload, where));
    } else if (payload->is_string()) {
      throw MalformedResponse(where + " is a base64 string; send no encoding_format (float output)");
    } else if (payload->is_array() && !payload->empty() && (*payload)[0].is_array()) {
      if (payload->size() != expected)
        throw MalformedResponse(where + " has " + std::to_string(payload->size()) + " rows for " +
                                std::to_string(expected) +
                                " step tags: is the server pooling at the step tag (STEP pooler with "
                                "the step tag's token id)?");
      for (const json& row : *payload) {
        if (!row.is_array() || row.empty()) throw MalformedResponse(where + " has an empty row");
        if (row.size() == 1) {
          out.push_back(probability(row[0], where));
        } else {
          if (positive_index < 0 || static_cast<std::size_t>(positive_index) >= row.size())
            throw MalformedResponse(where + ": rows have " + std::to_string(row.size()) +
                                    " classes; the positive class index is " + std::to_string(positive_index));
          out.push_back(probability(row[static_cast<std::size_t>(positive_index)], where));
        }
      }
    } else if (payload->is_array()) {
      const std::size_t n = payload->size();
      if (n == expected) {
        for (const json& v : *payload) out.push_back(probability(v, where));
      } else if (n == 2 * expected && n > 0) {
        if (positive_index < 0 || positive_index > 1)
          throw MalformedResponse(where + ": pairs have 2 classes; the positive class index is " +
                                  std::to_string(positive_index));
        for (std::size_t k = 0; k < expected; ++k)
          out.push_back(probability((*payload)[2 * k + static_cast<std::size_t>(positive_index)], where));
      } else {
        throw MalformedResponse(where + " has " + std::to_string(n) + " numbers for " +
                                std::to_string(expected) + " step tags");
      }
    } else {
      throw MalformedResponse(where + ": unexpected payload " + util::json_excerpt(*payload, 100));
    }
  }
  return rewards;
}

std::vector<double> parse_classify_response(std::string_view body, std::size_t inputs, int positive_index) {
  auto items = ordered_items(body, inputs, "the /classify");
  std::vector<double> scores;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "/classify item " + std::to_string(i);
    const json& item = items[i];
    if (item.is_object() && item.contains("probs") && item["probs"].is_array() && !item["probs"].empty()) {
      const json& probs = item["probs"];
      std::size_t k = probs.size() == 1 ? 0 : static_cast<std::size_t>(positive_index);
      if (positive_index < 0 || k >= probs.size())
        throw MalformedResponse(where + " has " + std::to_string(probs.size()) +
                                " classes; the positive class index is " + std::to_string(positive_index));
      scores.push_back(probability(probs[k], where));
    } else if (item.is_object() && item.contains("score")) {
      scores.push_back(probability(item["score"], where));
    } else {
      throw MalformedResponse(where + " has neither 'probs' nor 'score'");
    }
  }
  return scores;
}

}  // namespace optscale::backend
