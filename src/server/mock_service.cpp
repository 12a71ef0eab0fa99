#include "optscale/server/mock_service.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "optscale/server/hashed_embedding.hpp"
#include "optscale/server/mock_faults.hpp"
#include "optscale/util/json_limits.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;

// A request the mock refuses, with the HTTP status to answer.
struct Refusal {
  int status;
  std::string message;
};

MockReply reply_json(const json& body) { return MockReply{200, body.dump(), {}}; }

MockReply reply_error(int status, std::string_view message) {
  return MockReply{status, mock_error_body(status, message), {}};
}

json parse_body(std::string_view body) {
  json parsed;
  try {
    parsed = util::parse_json(body, "the request body");
  } catch (const util::JsonInputError& e) {
    if (e.kind() == util::JsonInputError::Kind::syntax) throw Refusal{400, "the request body is not a JSON object"};
    throw Refusal{400, e.what()};  // too deep, or a number out of range: say which
  }
  if (!parsed.is_object()) throw Refusal{400, "the request body is not a JSON object"};
  return parsed;
}

long long prompt_token_estimate(std::size_t characters) {
  return static_cast<long long>((characters + 3) / 4);
}

// The text of a message's content: a string, or the text parts of a list.
std::string content_text(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const json& part : content) {
      if (part.is_object() && part.value("type", "") == "text" && part.contains("text") &&
          part["text"].is_string())
        text += part["text"].get<std::string>();
    }
  }
  return text;
}

struct Conversation {
  std::string last_user;  // exact candidate for the problem text
  std::string assistant;  // last assistant turn (scoring requests)
  std::string all;        // every turn, for substring search
};

Conversation read_messages(const json& messages) {
  if (!messages.is_array() || messages.empty())
    throw Refusal{400, "'messages' must be a non-empty list"};
  Conversation conversation;
  for (const json& message : messages) {
    if (!message.is_object() || !message.contains("content"))
      throw Refusal{400, "every message needs a 'content'"};
    std::string role = message.value("role", "");
    std::string text = content_text(message["content"]);
    if (role == "user") conversation.last_user = text;
    if (role == "assistant") conversation.assistant = text;
    conversation.all += text;
    conversation.all += '\n';
  }
  return conversation;
}

// The user and assistant turns of a prompt rendered with the Qwen chat
// template (<|im_start|>role\n ... <|im_end|>).
Conversation split_chat_template(std::string_view input) {
  static constexpr std::string_view user_tag = "<|im_start|>user\n";
  static constexpr std::string_view assistant_tag = "<|im_start|>assistant\n";
  static constexpr std::string_view end_tag = "<|im_end|>";
  auto user = input.rfind(user_tag);
  auto assistant = input.rfind(assistant_tag);
  if (user == std::string_view::npos || assistant == std::string_view::npos || assistant < user)
    throw Refusal{400,
                  "the input is not a chat-templated conversation: the mock needs "
                  "'<|im_start|>user\\n' and then '<|im_start|>assistant\\n' turns"};
  Conversation conversation;
  auto user_begin = user + user_tag.size();
  auto user_end = std::min(input.find(end_tag, user_begin), assistant);
  conversation.last_user = std::string(input.substr(user_begin, user_end - user_begin));
  auto assistant_begin = assistant + assistant_tag.size();
  auto assistant_end = input.find(end_tag, assistant_begin);
  if (assistant_end == std::string_view::npos) assistant_end = input.size();
  conversation.assistant = std::string(input.substr(assistant_begin, assistant_end - assistant_begin));
  conversation.all = std::string(input);
  return conversation;
}

std::size_t count_occurrences(std::string_view text, std::string_view what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size()))
    ++count;
  return count;
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  for (auto at = text.find(from); at != std::string_view::npos; at = text.find(from, start)) {
    out.append(text.substr(start, at - start));
    out.append(to);
    start = at + from.size();
  }
  out.append(text.substr(start));
  return out;
}

// Mean in long double: exact for equal values (k * x fits 64 mantissa bits
// for fewer than 2048 steps), so rows all equal to the score average back to it.
double exact_mean(const std::vector<double>& values) {
  long double sum = 0.0L;
  for (double v : values) sum += v;
  return static_cast<double>(sum / static_cast<long double>(values.size()));
}

double clamp_log(double p) { return p > 0.0 ? std::max(std::log(p), -9999.0) : -9999.0; }

std::string check_model(const json& request, const MockOptions& options) {
  std::string model = request.contains("model") && request["model"].is_string()
                          ? request["model"].get<std::string>()
                          : options.model;
  if (!options.model.empty() && model != options.model)
    throw Refusal{404, "The model `" + model + "` does not exist."};
  return model.empty() ? std::string("optscale-mock") : model;
}

std::string request_id(std::string_view prefix, std::string_view body) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(body)));
  return std::string(prefix) + hex;
}

}  // namespace

std::string mock_error_body(int status, std::string_view message) {
  json error = {{"message", message}, {"type", status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error"},
                {"code", status}};
  return json{{"object", "error"}, {"error", error}, {"message", message}}.dump();
}

MockService::MockService(const pool::Pool& pool, MockOptions options)
    : index_(pool), options_(std::move(options)),
      cursors_(std::make_unique<std::atomic<long long>[]>(index_.size())) {
  for (std::size_t i = 0; i < index_.size(); ++i) cursors_[i] = 0;
  if (options_.step_tag.empty()) throw std::invalid_argument("mock: the step tag is empty");
}

MockReply MockService::handle(std::string_view method, std::string_view path, std::string_view body) {
  try {
    if (method == "GET") {
      if (path == "/health" || path == "/v1/health") return reply_json(json{{"status", "ok"}});
      if (path == "/v1/models" || path == "/models") return models();
    } else if (method == "POST") {
      if (path == "/v1/chat/completions" || path == "/chat/completions")
        return chat_or_completion(body, true);
      if (path == "/v1/completions" || path == "/completions") return chat_or_completion(body, false);
      if (path == "/pooling" || path == "/v1/pooling") return pooling(body);
      if (path == "/classify" || path == "/v1/classify") return classify(body);
      if (path == "/v1/embeddings" || path == "/embeddings") return embeddings(body);
    }
    return reply_error(404, std::string("no route for ") + std::string(method) + " " + std::string(path));
  } catch (const Refusal& refusal) {
    return reply_error(refusal.status, refusal.message);
  } catch (const MockLookupError& e) {
    return reply_error(400, e.what());
  } catch (const json::exception& e) {
    return reply_error(400, std::string("malformed request: ") + e.what());
  }
}

MockReply MockService::models() const {
  json model = {{"id", options_.model.empty() ? "optscale-mock" : options_.model},
                {"object", "model"}, {"created", 0}, {"owned_by", "optscale-mock"}};
  return reply_json(json{{"object", "list"}, {"data", json::array({model})}});
}

MockReply MockService::chat_or_completion(std::string_view body, bool chat) {
  json request = parse_body(body);
  std::string model = check_model(request, options_);
  Conversation conversation;
  if (chat) {
    if (!request.contains("messages")) throw Refusal{400, "'messages' is required"};
    conversation = read_messages(request["messages"]);
  } else {
    if (!request.contains("prompt")) throw Refusal{400, "'prompt' is required"};
    const json& prompt = request["prompt"];
    if (prompt.is_string()) {
      conversation.all = prompt.get<std::string>();
    } else if (prompt.is_array() && prompt.size() == 1 && prompt[0].is_string()) {
      conversation.all = prompt[0].get<std::string>();
    } else {
      throw Refusal{400, "the mock takes one string 'prompt'"};
    }
    conversation.last_user = conversation.all;
  }
  const std::size_t problem = index_.find_problem(conversation.last_user, conversation.all);
  const MockProblem& entry = index_.problem(problem);

  // A judging request quotes a sample and asks for the logprobs of the verdict.
  const bool wants_logprobs = request.contains("logprobs") && request["logprobs"].is_boolean() &&
                              request["logprobs"].get<bool>();
  if (chat && wants_logprobs) {
    long judged = index_.find_sample_within(problem, conversation.all);
    if (judged >= 0) {
      double s = entry.samples[static_cast<std::size_t>(judged)].score;
      double lp_yes = clamp_log(s), lp_no = clamp_log(1.0 - s);
      json yes = {{"token", "Yes"}, {"logprob", lp_yes}}, no = {{"token", "No"}, {"logprob", lp_no}};
      bool verdict = lp_yes >= lp_no;
      json top = verdict ? json::array({yes, no}) : json::array({no, yes});
      json token = verdict ? yes : no;
      token["top_logprobs"] = top;
      json choice = {{"index", 0},
                     {"message", {{"role", "assistant"}, {"content", verdict ? "Yes" : "No"}}},
                     {"logprobs", {{"content", json::array({token})}}},
                     {"finish_reason", "stop"}};
      if (options_.choice_tokens) choice["completion_tokens"] = 1;
      long long prompt_tokens = prompt_token_estimate(conversation.all.size());
      return reply_json(json{{"id", request_id("chatcmpl-mock-", body)}, {"object", "chat.completion"},
                             {"created", 0}, {"model", model}, {"choices", json::array({choice})},
                             {"usage", {{"prompt_tokens", prompt_tokens}, {"completion_tokens", 1},
                                        {"total_tokens", prompt_tokens + 1}}}});
    }
  }

  long long n = 1;
  if (request.contains("n") && !request["n"].is_null()) {
    if (!request["n"].is_number_integer() || request["n"].get<long long>() < 1)
      throw Refusal{400, "'n' must be a positive integer"};
    n = request["n"].get<long long>();
  }
  if (options_.reject_n && n > 1) throw Refusal{400, "Only one completion choice is allowed"};
  long long count = options_.max_choices > 0 ? std::min<long long>(n, options_.max_choices) : n;
  long long first = 0;
  if (request.contains("seed") && !request["seed"].is_null()) {
    if (!request["seed"].is_number_integer()) throw Refusal{400, "'seed' must be an integer"};
    first = request["seed"].get<long long>() - options_.seed_base;
  } else {
    first = cursors_[problem].fetch_add(count);
  }
  const long long available = static_cast<long long>(entry.samples.size());
  // Seeds this far past the pool are not sample indexes (the proxy derives
  // such seeds for clients that send none): they wrap around the pool.
  constexpr long long kWrappedSeedsFrom = 1 << 16;
  const bool wrapped = first >= kWrappedSeedsFrom;
  if (wrapped) first %= available;
  if (!wrapped && (first < 0 || first + count > available))
    throw Refusal{400, "problem " + entry.id + " has " + std::to_string(available) +
                           " samples in the pool; this request asks for samples " +
                           std::to_string(first) + ".." + std::to_string(first + count - 1) +
                           ": the mock serves sample (seed - seed_base) of the pool, so send a seed from " +
                           std::to_string(options_.seed_base) + " to " +
                           std::to_string(options_.seed_base + available - count) +
                           ", none (the next unserved samples), or one of at least seed_base + " +
                           std::to_string(kWrappedSeedsFrom) + " (taken modulo the pool)"};
  const bool token_ids = request.contains("return_token_ids") &&
                         request["return_token_ids"].is_boolean() &&
                         request["return_token_ids"].get<bool>();
  json choices = json::array();
  long long completion_tokens = 0;
  for (long long j = 0; j < count; ++j) {
    const MockSample& sample = entry.samples[static_cast<std::size_t>((first + j) % available)];
    json choice = {{"index", j}, {"logprobs", nullptr}, {"finish_reason", "stop"}};
    if (chat) {
      choice["message"] = {{"role", "assistant"}, {"content", sample.text}};
    } else {
      choice["text"] = sample.text;
    }
    if (options_.choice_tokens) choice["completion_tokens"] = sample.tokens;
    if (token_ids) {
      json ids = json::array();
      for (long long t = 0; t < sample.tokens; ++t) ids.push_back(100 + t % 32000);
      choice["token_ids"] = std::move(ids);
    }
    completion_tokens += sample.tokens;
    choices.push_back(std::move(choice));
  }
  long long prompt_tokens = prompt_token_estimate(conversation.all.size());
  return reply_json(json{{"id", request_id(chat ? "chatcmpl-mock-" : "cmpl-mock-", body)},
                         {"object", chat ? "chat.completion" : "text_completion"},
                         {"created", 0},
                         {"model", model},
                         {"choices", std::move(choices)},
                         {"usage", {{"prompt_tokens", prompt_tokens},
                                    {"completion_tokens", completion_tokens},
                                    {"total_tokens", prompt_tokens + completion_tokens}}}});
}

namespace {

// The texts to score: `input` (a string or a list of strings) or `messages`.
std::vector<Conversation> scoring_inputs(const json& request) {
  std::vector<Conversation> inputs;
  if (request.contains("messages")) {
    inputs.push_back(read_messages(request["messages"]));
    return inputs;
  }
  if (!request.contains("input")) throw Refusal{400, "'input' or 'messages' is required"};
  const json& input = request["input"];
  if (input.is_string()) {
    inputs.push_back(split_chat_template(input.get<std::string_view>()));
  } else if (input.is_array() && !input.empty()) {
    for (const json& item : input) {
      if (!item.is_string())
        throw Refusal{400, "the mock scores text inputs only (no token-id lists)"};
      inputs.push_back(split_chat_template(item.get<std::string_view>()));
    }
  } else {
    throw Refusal{400, "'input' must be a string or a non-empty list of strings"};
  }
  return inputs;
}

}  // namespace

MockReply MockService::pooling(std::string_view body) {
  json request = parse_body(body);
  std::string model = check_model(request, options_);
  json data = json::array();
  long long prompt_tokens = 0;
  auto inputs = scoring_inputs(request);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Conversation& input = inputs[i];
    std::size_t problem = index_.find_problem(input.last_user, input.all);
    std::string_view response = input.assistant;
    std::size_t steps = count_occurrences(response, options_.step_tag);
    if (response.size() >= options_.step_tag.size() &&
        response.substr(response.size() - options_.step_tag.size()) == options_.step_tag)
      response.remove_suffix(options_.step_tag.size());
    std::string text = replace_all(response, options_.step_tag, options_.step_separator);
    const MockSample& sample = index_.problem(problem).samples[index_.find_sample(problem, text)];
    bool use_steps = !sample.step_scores.empty() && sample.step_scores.size() == steps &&
                     exact_mean(sample.step_scores) == sample.score;
    json rows = json::array();
    for (std::size_t k = 0; k < steps; ++k) {
      double p = use_steps ? sample.step_scores[k] : sample.score;
      rows.push_back(json::array({1.0 - p, p}));
    }
    data.push_back(json{{"index", i}, {"object", "pooling"}, {"data", std::move(rows)}});
    prompt_tokens += prompt_token_estimate(input.all.size());
  }
  return reply_json(json{{"id", request_id("pool-mock-", body)}, {"object", "list"}, {"created", 0},
                         {"model", model}, {"data", std::move(data)},
                         {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens},
                                    {"completion_tokens", 0}}}});
}

MockReply MockService::classify(std::string_view body) {
  json request = parse_body(body);
  std::string model = check_model(request, options_);
  json data = json::array();
  long long prompt_tokens = 0;
  auto inputs = scoring_inputs(request);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Conversation& input = inputs[i];
    std::size_t problem = index_.find_problem(input.last_user, input.all);
    std::string text = replace_all(input.assistant, options_.step_tag, options_.step_separator);
    double s = index_.problem(problem).samples[index_.find_sample(problem, text)].score;
    data.push_back(json{{"index", i}, {"label", s >= 0.5 ? "LABEL_1" : "LABEL_0"},
                        {"probs", json::array({1.0 - s, s})}, {"num_classes", 2}});
    prompt_tokens += prompt_token_estimate(input.all.size());
  }
  return reply_json(json{{"id", request_id("classify-mock-", body)}, {"object", "list"},
                         {"created", 0}, {"model", model}, {"data", std::move(data)},
                         {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens},
                                    {"completion_tokens", 0}}}});
}

MockReply MockService::embeddings(std::string_view body) {
  json request = parse_body(body);
  std::string model = check_model(request, options_);
  int dimensions = options_.embedding_dimensions;
  if (request.contains("dimensions") && !request["dimensions"].is_null()) {
    if (!request["dimensions"].is_number_integer() || request["dimensions"].get<int>() < 1)
      throw Refusal{400, "'dimensions' must be a positive integer"};
    dimensions = request["dimensions"].get<int>();
  }
  std::vector<std::string> texts;
  if (!request.contains("input")) throw Refusal{400, "'input' is required"};
  const json& input = request["input"];
  if (input.is_string()) {
    texts.push_back(input.get<std::string>());
  } else if (input.is_array() && !input.empty()) {
    for (const json& item : input) {
      if (!item.is_string()) throw Refusal{400, "the mock embeds text inputs only"};
      texts.push_back(item.get<std::string>());
    }
  } else {
    throw Refusal{400, "'input' must be a string or a non-empty list of strings"};
  }
  json data = json::array();
  long long prompt_tokens = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    data.push_back(json{{"object", "embedding"}, {"index", i},
                        {"embedding", hashed_embedding(texts[i], dimensions)}});
    prompt_tokens += prompt_token_estimate(texts[i].size());
  }
  return reply_json(json{{"object", "list"}, {"data", std::move(data)}, {"model", model},
                         {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}}}});
}

}  // namespace optscale::server
