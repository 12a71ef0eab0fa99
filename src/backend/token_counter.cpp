#include "optscale/backend/token_counter.hpp"
#include "optscale/util/json_limits.hpp"

#include <nlohmann/json.hpp>

namespace optscale::backend {

using nlohmann::json;

TokenCounter::TokenCounter(Balancer& balancer, RetryPolicy retry, HttpRequestOptions options, std::string model,
                           std::function<void(const std::string&)> notice)
    : balancer_(balancer), retry_(retry), options_(std::move(options)), model_(std::move(model)),
      notice_(std::move(notice)) {}

std::string TokenCounter::dialect() const {
  switch (dialect_.load()) {
    case prompt_field: return "vllm";
    case content_field: return "llama.cpp";
    case none: return "estimate";
    default: return "unknown";
  }
}

long long TokenCounter::ask(Dialect dialect, const std::string& text, const RequestContext& context) {
  json body = json::object();
  if (dialect == prompt_field) {
    body["model"] = model_;
    body["prompt"] = text;
  } else {
    body["content"] = text;
  }
  const std::string payload = body.dump();
  HttpRequestOptions options = options_;
  options.cancel = context.cancel;
  long long count = -1;
  try {
    run_with_retries(balancer_, retry_, context, "/tokenize", [&](const std::string& base, AttemptRecord& record) {
      long status = 0;
      record.count = 1;
      const std::string answer = post_json_checked(base + "/tokenize", payload, options, &status);
      json parsed;
      try {
        parsed = util::parse_json(answer, "the /tokenize answer");
      } catch (const util::JsonInputError&) {
        parsed = json();  // not JSON: not this server's dialect, counted as unknown below
      }
      count = -1;
      if (parsed.is_object() && parsed.contains("count") && parsed["count"].is_number_integer())
        count = parsed["count"].get<long long>();
      else if (parsed.is_object() && parsed.contains("tokens") && parsed["tokens"].is_array())
        count = static_cast<long long>(parsed["tokens"].size());
      // An empty list for a non-empty text: the body's field is not this
      // server's (llama.cpp ignores "prompt").
      if (count == 0 && !text.empty()) count = -1;
      return status;
    });
  } catch (const BackendError& error) {
    // A scorer without /tokenize (404) or that refuses this dialect.
    if (error.kind == FailureKind::client_error || error.kind == FailureKind::server_error) return -1;
    throw;
  }
  return count;
}

long long TokenCounter::count(const std::string& text, const RequestContext& context) {
  int dialect = dialect_.load();
  if (dialect == prompt_field || dialect == content_field) {
    long long n = ask(static_cast<Dialect>(dialect), text, context);
    if (n >= 0) return n;
    return estimate(text);  // a refusal of this one text: count it as the estimate does
  }
  if (dialect == none) return estimate(text);
  for (Dialect candidate : {prompt_field, content_field}) {
    long long n = ask(candidate, text, context);
    if (n >= 0) {
      dialect_.store(candidate);
      return n;
    }
  }
  if (dialect_.exchange(none) != none && notice_)
    notice_("the scorer has no usable /tokenize: input lengths are estimated at 3 bytes per token for "
            "--scorer-max-input-tokens");
  return estimate(text);
}

}  // namespace optscale::backend
