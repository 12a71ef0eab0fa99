#include "optscale/mock/mock_service.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "optscale/mock/hashed_embedding.hpp"
#include "optscale/mock/mock_faults.hpp"
#include "optscale/mock/mock_personality.hpp"
#include "optscale/mock/mock_stream.hpp"
#include "optscale/util/json_limits.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::mock {
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

std::string float32_base64(const std::vector<double>& values) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  for (double v : values) {
    const float f = static_cast<float>(v);
    unsigned char raw[4];
    std::memcpy(raw, &f, 4);  // x86 and ARM Linux: little-endian, as the format wants
    bytes.append(reinterpret_cast<const char*>(raw), 4);
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned value = 0;
    for (std::size_t k = 0; k < 3; ++k)
      value = (value << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(value >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string check_model(const json& request, const MockOptions& options) {
  std::string model = request.contains("model") && request["model"].is_string()
                          ? request["model"].get<std::string>()
                          : options.model;
  if (!options.model.empty() && model != options.model && !options.any_model)
    throw Refusal{404, "The model `" + model + "` does not exist."};
  return model.empty() ? std::string("optscale-mock") : model;
}

std::string request_id(std::string_view prefix, std::string_view body) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(util::fnv1a64(body)));
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
    if (auto refused = refuse_route(method, path)) return *refused;
    if (method == "POST" && path == "/tokenize" && options_.tokenize != MockTokenize::off) return tokenize(body);
    if (method == "POST" && path == "/classify" && options_.classify_one_logit) return native_classify(body);
    if (method == "GET") {
      if (path == "/health" || path == "/v1/health") return reply_json(json{{"status", "ok"}});
      if (path == "/v1/models" || path == "/models") return models();
      if (path.rfind("/v1/models/", 0) == 0) return model(path.substr(11));
    } else if (method == "POST") {
      const bool chat = path == "/v1/chat/completions" || path == "/chat/completions";
      if (chat || path == "/v1/completions" || path == "/completions") {
        MockReply reply = chat_or_completion(body, chat);
        const json request = parse_body(body);
        if (reply.status == 200 && wants_stream(request)) {
          const json options = request.value("stream_options", json::object());
          reply.body = completion_event_stream(util::parse_json(reply.body, "the mock's own reply"),
                                               options.is_object() && options.value("include_usage", false));
          reply.content_type = "text/event-stream";
        }
        return reply;
      }
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

MockReply MockService::model(std::string_view id) const {
  const std::string served = options_.model.empty() ? "optscale-mock" : options_.model;
  if (id != served) return reply_error(404, "The model `" + std::string(id) + "` does not exist.");
  return reply_json(json{{"id", served}, {"object", "model"}, {"created", 0}, {"owned_by", "optscale-mock"}});
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
      if (options_.judge_thinks) {
        // A judge that reasons first: its first token opens the thinking,
        // and no verdict word is among the likely first tokens.
        token = {{"token", "<think>"}, {"logprob", -0.01}};
        top = json::array({token, {{"token", "Okay"}, {"logprob", -5.2}}, {{"token", "Let"}, {"logprob", -6.1}}});
        verdict = false;
      }
      token["top_logprobs"] = top;
      json choice = {{"index", 0},
                     {"message", {{"role", "assistant"},
                                  {"content", options_.judge_thinks ? "<think>" : verdict ? "Yes" : "No"}}},
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
  // llama.cpp's wrapper answers 500 to any exception but invalid_argument.
  if (options_.slots > 0 && n > options_.slots)
    throw Refusal{500, "n_cmpl cannot be greater than the number of slots, please increase -np"};
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
  for (long long j = 0; j < count; ++j)
    for (const auto& [id, k] : options_.failing_samples)
      if (id == entry.id && k == first + j)
        throw Refusal{500, "[json.exception.type_error.316] invalid UTF-8 byte at index 17: 0xE2 (sample " +
                               std::to_string(k) + " of problem " + entry.id + ")"};
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
    if (options_.logprobs_count_tokens && wants_logprobs) {
      json content = json::array();
      for (long long t = 0; t < sample.tokens; ++t) content.push_back({{"token", "t"}, {"logprob", -0.5}});
      choice["logprobs"] = {{"content", std::move(content)}};
    }
    if (token_ids) {
      json ids = json::array();
      for (long long t = 0; t < sample.tokens; ++t) ids.push_back(100 + t % 32000);
      choice["token_ids"] = std::move(ids);
    }
    if (j == 0 || !options_.usage_first_choice_only) completion_tokens += sample.tokens;
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

// vLLM refuses the whole request when one input exceeds the context.
void check_context(const std::vector<Conversation>& inputs, long long max_model_len) {
  if (max_model_len <= 0) return;
  for (const Conversation& input : inputs) {
    const long long tokens = mock_token_count(input.all);
    if (tokens > max_model_len)
      throw Refusal{400, "You passed " + std::to_string(tokens) +
                             " input tokens and requested 0 output tokens. However, the model's context length "
                             "is only " + std::to_string(max_model_len) + " tokens, resulting in a maximum input "
                             "length of " + std::to_string(max_model_len) +
                             " tokens. Please reduce the length of the input prompt."};
  }
}

double logit_of(double p) {
  const double q = std::clamp(p, 1e-300, 1.0);
  const double r = std::clamp(1.0 - p, 1e-300, 1.0);
  return std::log(q) - std::log(r);
}

// A vLLM scoring answer (/pooling, /classify): every input of the request,
// refused as vLLM refuses, one `rate(input)` row each, with the usage.
template <class Rate>
MockReply scoring_reply(std::string_view body, const MockOptions& options, std::string_view id_prefix, Rate rate) {
  json request = parse_body(body);
  std::string model = check_model(request, options);
  auto inputs = scoring_inputs(request);
  check_context(inputs, options.max_model_len);
  json data = json::array();
  long long prompt_tokens = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    json row = rate(inputs[i]);
    row["index"] = i;
    data.push_back(std::move(row));
    prompt_tokens += prompt_token_estimate(inputs[i].all.size());
  }
  return reply_json(json{{"id", request_id(id_prefix, body)}, {"object", "list"}, {"created", 0},
                         {"model", model}, {"data", std::move(data)},
                         {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens},
                                    {"completion_tokens", 0}}}});
}

}  // namespace

MockReply MockService::pooling(std::string_view body) {
  return scoring_reply(body, options_, "pool-mock-", [&](const Conversation& input) {
    std::size_t problem = index_.find_problem(input.last_user, input.all);
    std::string_view response = input.assistant;
    std::size_t steps = count_occurrences(response, options_.step_tag);
    if (response.size() >= options_.step_tag.size() &&
        response.substr(response.size() - options_.step_tag.size()) == options_.step_tag)
      response.remove_suffix(options_.step_tag.size());
    std::string text = replace_all(response, options_.step_tag, options_.step_separator);
    // A client that cuts long inputs sends a sample's leading steps: a PRM
    // rates them as it rates those steps of the whole sample.
    const auto [k, cut] = find_sample_or_prefix(problem, text);
    const MockSample& sample = index_.problem(problem).samples[k];
    bool use_steps = !sample.step_scores.empty() && exact_mean(sample.step_scores) == sample.score &&
                     (cut ? sample.step_scores.size() > steps : sample.step_scores.size() == steps);
    json rows = json::array();
    for (std::size_t k = 0; k < steps; ++k) {
      double p = use_steps ? sample.step_scores[k] : sample.score;
      rows.push_back(json::array({1.0 - p, p}));
    }
    return json{{"object", "pooling"}, {"data", std::move(rows)}};
  });
}

MockReply MockService::classify(std::string_view body) {
  return scoring_reply(body, options_, "classify-mock-", [&](const Conversation& input) {
    std::size_t problem = index_.find_problem(input.last_user, input.all);
    std::string text = replace_all(input.assistant, options_.step_tag, options_.step_separator);
    double s = index_.problem(problem).samples[find_sample_or_prefix(problem, text).first].score;
    // One logit through softmax: always [1.0] (SGLang's /v1/classify).
    if (options_.classify_one_logit)
      return json{{"label", "LABEL_0"}, {"probs", json::array({1.0})}, {"num_classes", 1}};
    // One logit through a sigmoid (vLLM's classify activation for one label).
    if (options_.classify_sigmoid)
      return json{{"label", "LABEL_0"}, {"probs", json::array({1.0 / (1.0 + std::exp(-logit_of(s)))})},
                  {"num_classes", 1}};
    return json{{"label", s >= 0.5 ? "LABEL_1" : "LABEL_0"}, {"probs", json::array({1.0 - s, s})}, {"num_classes", 2}};
  });
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
  // "base64" (the OpenAI SDKs ask for it by default): little-endian float32s.
  const std::string format = request.value("encoding_format", json("float")).is_string()
                                 ? request.value("encoding_format", std::string("float"))
                                 : std::string("?");
  if (format != "float" && format != "base64") throw Refusal{400, "'encoding_format' must be float or base64"};
  json data = json::array();
  long long prompt_tokens = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::vector<double> vector = hashed_embedding(texts[i], dimensions);
    data.push_back(json{{"object", "embedding"}, {"index", i},
                        {"embedding", format == "base64" ? json(float32_base64(vector)) : json(vector)}});
    prompt_tokens += prompt_token_estimate(texts[i].size());
  }
  return reply_json(json{{"object", "list"}, {"data", std::move(data)}, {"model", model},
                         {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}}}});
}

// ---- real-server behaviours (mock_personality.hpp) ----

std::pair<std::size_t, bool> MockService::find_sample_or_prefix(std::size_t problem, std::string_view text) const {
  try {
    return {index_.find_sample(problem, text), false};
  } catch (const MockLookupError&) {
    const std::string prefix = std::string(text) + options_.step_separator;
    const auto& samples = index_.problem(problem).samples;
    for (std::size_t k = 0; k < samples.size(); ++k)
      if (!text.empty() && samples[k].text.starts_with(prefix)) return {k, true};
    throw;
  }
}

std::optional<MockReply> MockService::refuse_route(std::string_view method, std::string_view path) const {
  if (options_.routes == MockRoutes::any || path == "/metrics") return std::nullopt;
  static const std::vector<std::string_view> common_get = {"/health", "/v1/models"};
  std::vector<std::string_view> post;
  switch (options_.routes) {
    case MockRoutes::vllm:
      post = {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/pooling", "/classify", "/tokenize"};
      break;
    case MockRoutes::llama_cpp:
      post = {"/v1/chat/completions", "/chat/completions", "/v1/completions", "/completions", "/v1/embeddings",
              "/embeddings", "/tokenize"};
      break;
    case MockRoutes::sglang:
      post = {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/classify", "/classify", "/tokenize"};
      break;
    case MockRoutes::ollama:
      post = {"/v1/chat/completions", "/v1/completions", "/v1/embeddings"};
      break;
    case MockRoutes::any:
      break;
  }
  // SGLang and Ollama also serve one model's card; vLLM and llama.cpp only the list.
  if (method == "GET" && path.rfind("/v1/models/", 0) == 0 &&
      (options_.routes == MockRoutes::sglang || options_.routes == MockRoutes::ollama))
    return std::nullopt;
  const auto& allowed = method == "GET" ? common_get : post;
  for (std::string_view route : allowed)
    if (route == path) return std::nullopt;
  // FastAPI servers (vLLM, SGLang) answer {"detail":"Not Found"}.
  if (options_.routes == MockRoutes::vllm || options_.routes == MockRoutes::sglang)
    return MockReply{404, json{{"detail", "Not Found"}}.dump(), {}};
  return MockReply{404, mock_error_body(404, "File Not Found"), {}};
}

MockReply MockService::tokenize(std::string_view body) const {
  json request = parse_body(body);
  const char* field = options_.tokenize == MockTokenize::prompt_field ? "prompt" : "content";
  json tokens = json::array();
  if (!request.contains(field) || !request[field].is_string()) {
    // vLLM and SGLang validate the body; llama.cpp answers an empty list.
    if (options_.tokenize == MockTokenize::prompt_field)
      throw Refusal{400, "'prompt' (a string) or 'messages' is required"};
    return reply_json(json{{"tokens", tokens}});
  }
  const long long count = mock_token_count(request[field].get<std::string_view>());
  for (long long t = 0; t < count; ++t) tokens.push_back(100 + t % 32000);
  if (options_.tokenize == MockTokenize::content_field) return reply_json(json{{"tokens", std::move(tokens)}});
  json out = {{"count", count}, {"tokens", std::move(tokens)}};
  out["max_model_len"] = options_.max_model_len > 0 ? options_.max_model_len : 32768;
  return reply_json(out);
}

// SGLang's native /classify at the root: the reward head's raw logit, as
// "embedding", one object per input (a bare object for a single text).
MockReply MockService::native_classify(std::string_view body) {
  json request = parse_body(body);
  check_model(request, options_);
  if (!request.contains("text")) throw Refusal{400, "'text' is required"};
  const json& text = request["text"];
  std::vector<Conversation> inputs;
  if (text.is_string()) {
    inputs.push_back(split_chat_template(text.get<std::string_view>()));
  } else if (text.is_array() && !text.empty()) {
    for (const json& item : text) {
      if (!item.is_string()) throw Refusal{400, "'text' must be a string or a list of strings"};
      inputs.push_back(split_chat_template(item.get<std::string_view>()));
    }
  } else {
    throw Refusal{400, "'text' must be a string or a non-empty list of strings"};
  }
  check_context(inputs, options_.max_model_len);
  json out = json::array();
  for (const Conversation& input : inputs) {
    std::size_t problem = index_.find_problem(input.last_user, input.all);
    std::string response = replace_all(input.assistant, options_.step_tag, options_.step_separator);
    double s = index_.problem(problem).samples[find_sample_or_prefix(problem, response).first].score;
    out.push_back(json{{"embedding", json::array({logit_of(s)})},
                       {"meta_info", {{"prompt_tokens", mock_token_count(input.all)}}}});
  }
  return reply_json(text.is_string() ? out[0] : out);
}

}  // namespace optscale::mock
