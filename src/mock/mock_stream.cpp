#include "optscale/mock/mock_stream.hpp"

namespace optscale::mock {
namespace {

using nlohmann::json;

std::string event(const json& data) { return "data: " + data.dump() + "\n\n"; }

// The text in pieces of a few words, as a server sends tokens.
std::vector<std::string> pieces(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  int words = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' && ++words % 4 == 0) {
      out.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

}  // namespace

bool wants_stream(const json& request) {
  return request.contains("stream") && request["stream"].is_boolean() && request["stream"].get<bool>();
}

std::string completion_event_stream(const json& completion, bool include_usage) {
  const bool chat = completion.value("object", "") == "chat.completion";
  json head = {{"id", completion.value("id", "")},
               {"object", chat ? "chat.completion.chunk" : "text_completion"},
               {"created", completion.value("created", 0)},
               {"model", completion.value("model", "")}};
  std::string out;
  for (const json& choice : completion.at("choices")) {
    const json index = choice.value("index", 0);
    const std::string text = chat ? choice.at("message").value("content", "") : choice.value("text", "");
    if (chat) {
      json chunk = head;
      chunk["choices"] = json::array({{{"index", index}, {"delta", {{"role", "assistant"}, {"content", ""}}},
                                       {"logprobs", nullptr}, {"finish_reason", nullptr}}});
      out += event(chunk);
    }
    for (const std::string& piece : pieces(text)) {
      json chunk = head;
      json c = {{"index", index}, {"logprobs", nullptr}, {"finish_reason", nullptr}};
      if (chat) {
        c["delta"] = {{"content", piece}};
      } else {
        c["text"] = piece;
      }
      chunk["choices"] = json::array({c});
      out += event(chunk);
    }
    json last = head;
    json c = {{"index", index}, {"logprobs", nullptr}, {"finish_reason", choice.value("finish_reason", "stop")}};
    if (chat) {
      c["delta"] = json::object();
    } else {
      c["text"] = "";
    }
    last["choices"] = json::array({c});
    out += event(last);
  }
  if (include_usage && completion.contains("usage")) {
    json usage = head;
    usage["choices"] = json::array();
    usage["usage"] = completion["usage"];
    out += event(usage);
  }
  return out + "data: [DONE]\n\n";
}

}  // namespace optscale::mock
