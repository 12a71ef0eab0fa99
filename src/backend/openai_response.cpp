#include "optscale/backend/openai_response.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include "optscale/util/json_limits.hpp"

namespace optscale::backend {
namespace {

using nlohmann::json;

json parse_object(std::string_view body, std::string_view what) {
  json parsed;
  try {
    parsed = util::parse_json(body, what);
  } catch (const util::JsonInputError& e) {
    if (e.kind() == util::JsonInputError::Kind::syntax)
      throw MalformedResponse(std::string(what) + " is not valid JSON (" + std::to_string(body.size()) +
                              " bytes)");
    throw MalformedResponse(e.what());
  }
  if (!parsed.is_object()) throw MalformedResponse(std::string(what) + " is not a JSON object");
  return parsed;
}

std::optional<long long> count_field(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return std::nullopt;
  const json& v = object[key];
  if (v.is_number_integer() && v.get<long long>() >= 0) return v.get<long long>();
  if (v.is_number_float() && v.get<double>() >= 0 && std::floor(v.get<double>()) == v.get<double>())
    return static_cast<long long>(v.get<double>());
  return std::nullopt;
}

std::optional<long long> choice_tokens(const json& choice, bool chat) {
  if (auto n = count_field(choice, "completion_tokens")) return n;
  if (choice.contains("usage")) {
    if (auto n = count_field(choice["usage"], "completion_tokens")) return n;
  }
  if (auto n = count_field(choice, "tokens_predicted")) return n;
  if (choice.contains("token_ids") && choice["token_ids"].is_array())
    return static_cast<long long>(choice["token_ids"].size());
  if (choice.contains("logprobs") && choice["logprobs"].is_object()) {
    const json& logprobs = choice["logprobs"];
    const char* key = chat ? "content" : "tokens";
    if (logprobs.contains(key) && logprobs[key].is_array())
      return static_cast<long long>(logprobs[key].size());
  }
  return std::nullopt;
}

std::string lower_trimmed(std::string_view token) {
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.remove_prefix(1);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.remove_suffix(1);
  std::string out(token);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

CompletionResponse parse_completion_response(std::string_view body, bool chat, bool include_reasoning) {
  json response = parse_object(body, "the completion response");
  if (!response.contains("choices") || !response["choices"].is_array())
    throw MalformedResponse("the completion response has no 'choices' list");
  std::vector<std::pair<long long, CompletionChoice>> indexed;
  long long position = 0;
  for (const json& choice : response["choices"]) {
    if (!choice.is_object()) throw MalformedResponse("a choice is not an object");
    CompletionChoice parsed;
    if (chat) {
      if (!choice.contains("message") || !choice["message"].is_object())
        throw MalformedResponse("a chat choice has no 'message'");
      const json& message = choice["message"];
      std::string content;
      if (message.contains("content") && message["content"].is_string()) {
        content = message["content"].get<std::string>();
      } else if (message.contains("content") && !message["content"].is_null()) {
        throw MalformedResponse("a chat choice's message.content is not a string");
      }
      std::string reasoning;
      for (const char* key : {"reasoning_content", "reasoning"}) {
        if (message.contains(key) && message[key].is_string()) {
          reasoning = message[key].get<std::string>();
          break;
        }
      }
      parsed.text = include_reasoning && !reasoning.empty()
                        ? (content.empty() ? reasoning : reasoning + "\n\n" + content)
                        : content;
    } else {
      if (!choice.contains("text") || !choice["text"].is_string())
        throw MalformedResponse("a completion choice has no 'text' string");
      parsed.text = choice["text"].get<std::string>();
    }
    parsed.tokens = choice_tokens(choice, chat);
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
      parsed.finish_reason = choice["finish_reason"].get<std::string>();
    long long index = choice.contains("index") && choice["index"].is_number_integer()
                          ? choice["index"].get<long long>()
                          : position;
    indexed.emplace_back(index, std::move(parsed));
    ++position;
  }
  std::stable_sort(indexed.begin(), indexed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CompletionResponse out;
  for (auto& [index, choice] : indexed) out.choices.push_back(std::move(choice));
  if (response.contains("usage") && response["usage"].is_object()) {
    out.usage_completion_tokens = count_field(response["usage"], "completion_tokens");
    out.usage_prompt_tokens = count_field(response["usage"], "prompt_tokens");
  }
  return out;
}

double parse_judge_response(std::string_view body, std::string_view yes, std::string_view no) {
  json response = parse_object(body, "the judge response");
  if (!response.contains("choices") || !response["choices"].is_array() || response["choices"].empty())
    throw MalformedResponse("the judge response has no choices");
  const json& choice = response["choices"][0];
  if (!choice.is_object() || !choice.contains("logprobs") || !choice["logprobs"].is_object())
    throw MalformedResponse(
        "the judge response has no logprobs (does the server support logprobs?)");
  const json& logprobs = choice["logprobs"];
  std::vector<std::pair<std::string, double>> top;  // token, logprob
  if (logprobs.contains("content") && logprobs["content"].is_array() && !logprobs["content"].empty()) {
    const json& first = logprobs["content"][0];
    if (first.is_object() && first.contains("top_logprobs") && first["top_logprobs"].is_array()) {
      for (const json& entry : first["top_logprobs"]) {
        if (entry.is_object() && entry.contains("token") && entry["token"].is_string() &&
            entry.contains("logprob") && entry["logprob"].is_number())
          top.emplace_back(entry["token"].get<std::string>(), entry["logprob"].get<double>());
      }
    }
    if (top.empty() && first.is_object() && first.contains("token") && first["token"].is_string() &&
        first.contains("logprob") && first["logprob"].is_number())
      top.emplace_back(first["token"].get<std::string>(), first["logprob"].get<double>());
  } else if (logprobs.contains("top_logprobs") && logprobs["top_logprobs"].is_array() &&
             !logprobs["top_logprobs"].empty() && logprobs["top_logprobs"][0].is_object()) {
    for (const auto& [token, lp] : logprobs["top_logprobs"][0].items())
      if (lp.is_number()) top.emplace_back(token, lp.get<double>());
  }
  if (top.empty()) throw MalformedResponse("the judge response's logprobs list no tokens");
  const std::string yes_key = lower_trimmed(yes), no_key = lower_trimmed(no);
  double p_yes = 0.0, p_no = 0.0;
  for (const auto& [token, lp] : top) {
    if (!std::isfinite(lp)) continue;
    std::string key = lower_trimmed(token);
    if (key == yes_key) p_yes += std::exp(lp);
    if (key == no_key) p_no += std::exp(lp);
  }
  if (p_yes + p_no <= 0.0) return 0.0;
  return p_yes / (p_yes + p_no);
}

std::string server_error_message(std::string_view body) {
  json parsed;
  try {
    parsed = util::parse_json(body, "the error body");
  } catch (const util::JsonInputError&) {
    parsed = nullptr;  // not JSON we can read: the raw text below
  }
  if (parsed.is_object()) {
    if (parsed.contains("error")) {
      const json& error = parsed["error"];
      if (error.is_object() && error.contains("message") && error["message"].is_string())
        return error["message"].get<std::string>();
      if (error.is_string()) return error.get<std::string>();
    }
    if (parsed.contains("message") && parsed["message"].is_string()) return parsed["message"].get<std::string>();
    if (parsed.contains("detail")) {
      const json& detail = parsed["detail"];
      return detail.is_string() ? detail.get<std::string>() : util::json_excerpt(detail, 300);
    }
  }
  std::string raw(body.substr(0, 300));
  if (body.size() > 300) raw += "...";
  return raw.empty() ? std::string("(empty body)") : raw;
}

}  // namespace optscale::backend
