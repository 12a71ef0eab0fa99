#include "optscale/server/chat_completion.hpp"

#include <nlohmann/json.hpp>

#include "optscale/util/error.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;

std::string dump(const json& value) {
  // Sample texts come from parsed JSON, so they are UTF-8; replace rather
  // than throw should an answerer hand over anything else.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

const AnsweredSample* returned_sample(const AnswerResult& result, const AnswerSummary& summary) {
  return summary.returned >= 0 ? &result.samples.at(static_cast<std::size_t>(summary.returned)) : nullptr;
}

std::string finish_reason(const AnsweredSample* sample) {
  return sample && !sample->finish_reason.empty() ? sample->finish_reason : "stop";
}

json usage(const AnswerResult& result, const AnswerSummary& summary) {
  return {{"prompt_tokens", result.prompt_tokens},
          {"completion_tokens", summary.completion_tokens},
          {"total_tokens", result.prompt_tokens + summary.completion_tokens}};
}

json chunk(const CompletionHeader& header, json choices) {
  return {{"id", header.id},
          {"object", "chat.completion.chunk"},
          {"created", header.created},
          {"model", header.model},
          {"choices", std::move(choices)}};
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string completion_body(const CompletionHeader& header, const AnswerResult& result,
                            const AnswerSummary& summary) {
  const AnsweredSample* sample = returned_sample(result, summary);
  json body = {
      {"id", header.id},
      {"object", "chat.completion"},
      {"created", header.created},
      {"model", header.model},
      {"choices",
       json::array({{{"index", 0},
                     {"message", {{"role", "assistant"}, {"content", sample ? sample->text : std::string()}}},
                     {"logprobs", nullptr},
                     {"finish_reason", finish_reason(sample)}}})},
      {"usage", usage(result, summary)},
      {"optscale", summary.report},
  };
  return dump(body);
}

std::vector<std::string> completion_events(const CompletionHeader& header, const AnswerResult& result,
                                           const AnswerSummary& summary, bool include_usage,
                                           std::size_t piece_bytes) {
  const AnsweredSample* sample = returned_sample(result, summary);
  std::vector<std::string> events;
  auto emit = [&](json object) {
    if (include_usage && !object.contains("usage")) object["usage"] = nullptr;
    events.push_back("data: " + dump(object) + "\n\n");
  };
  auto delta_choice = [](json delta, json finish) {
    return json::array({{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr},
                         {"finish_reason", std::move(finish)}}});
  };
  emit(chunk(header, delta_choice({{"role", "assistant"}, {"content", ""}}, nullptr)));
  if (sample)
    for (std::string_view piece : split_for_streaming(sample->text, piece_bytes))
      emit(chunk(header, delta_choice({{"content", piece}}, nullptr)));
  json last = chunk(header, delta_choice(json::object(), finish_reason(sample)));
  last["optscale"] = summary.report;
  emit(std::move(last));
  if (include_usage) {
    json usage_chunk = chunk(header, json::array());
    usage_chunk["usage"] = usage(result, summary);
    emit(std::move(usage_chunk));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

std::vector<std::string_view> split_for_streaming(std::string_view text, std::size_t max_bytes) {
  require(max_bytes >= 4, "split_for_streaming", "pieces must hold at least one UTF-8 character (4 bytes)");
  std::vector<std::string_view> pieces;
  while (!text.empty()) {
    std::size_t cut = std::min(max_bytes, text.size());
    if (cut < text.size()) {
      // Prefer to end after whitespace in the last half of the piece.
      const std::size_t space = text.substr(0, cut).find_last_of(" \n");
      if (space != std::string_view::npos && space + 1 >= cut / 2) {
        cut = space + 1;
      } else {
        while (cut > 0 && is_continuation_byte(text[cut])) --cut;
        if (cut == 0) cut = std::min(max_bytes, text.size());  // not UTF-8: cut anyway
      }
    }
    pieces.push_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  return pieces;
}

}  // namespace optscale::server
