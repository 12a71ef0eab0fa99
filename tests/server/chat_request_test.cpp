#include "optscale/server/chat_request.hpp"

#include <gtest/gtest.h>

#include "optscale/server/api_error.hpp"

namespace optscale::server {
namespace {

using nlohmann::json;

ChatRequest parse(const json& body) { return parse_chat_request(body.dump()); }

json simple(json extra = json::object()) {
  json body = {{"model", "m"}, {"messages", json::array({{{"role", "user"}, {"content", "What is 2+2?"}}})}};
  body.update(extra);
  return body;
}

TEST(ChatRequest, ReadsTheLastUserTurnAndKeepsSamplingFields) {
  const json body = {{"model", "qwen"},
                     {"messages", json::array({{{"role", "system"}, {"content", "Be brief."}},
                                               {{"role", "user"}, {"content", "first question"}},
                                               {{"role", "assistant"}, {"content", "an answer"}},
                                               {{"role", "user"}, {"content", "second question"}}})},
                     {"temperature", 0.7},
                     {"max_tokens", 512},
                     {"seed", 42},
                     {"stream", true},
                     {"stream_options", {{"include_usage", true}}},
                     {"n", 1},
                     {"optscale", {{"target", 0.9}}}};
  const ChatRequest request = parse(body);
  EXPECT_EQ(request.problem, "second question");
  EXPECT_EQ(request.model, "qwen");
  EXPECT_TRUE(request.stream);
  EXPECT_TRUE(request.include_usage);
  EXPECT_EQ(request.n, 1);
  EXPECT_EQ(request.seed, 42);
  EXPECT_TRUE(request.has_overrides_field);
  EXPECT_EQ(request.overrides.target, 0.9);
  // The fields the proxy owns are gone; everything else goes upstream.
  json expected = body;
  for (const char* key : {"stream", "stream_options", "n", "optscale"}) expected.erase(key);
  EXPECT_EQ(request.upstream_body, expected);
}

TEST(ChatRequest, TextPartsOfAListContentAreJoined) {
  const json body = {{"messages", json::array({{{"role", "user"},
                                                {"content", json::array({{{"type", "text"}, {"text", "part one"}},
                                                                         {{"type", "image_url"},
                                                                          {"image_url", {{"url", "x"}}}},
                                                                         {{"type", "text"}, {"text", "part two"}}})}}})}};
  const ChatRequest request = parse(body);
  EXPECT_EQ(request.problem, "part one\npart two");
  EXPECT_EQ(request.model, "");
  EXPECT_FALSE(request.stream);
  EXPECT_FALSE(request.seed);
}

TEST(ChatRequest, ReadsEveryOverride) {
  const ChatRequest request =
      parse(simple({{"optscale", {{"target", 1}, {"confidence", 0.99}, {"budget", 8}, {"policy", "bon:n=8"}}}}));
  EXPECT_EQ(request.overrides.target, 1.0);
  EXPECT_EQ(request.overrides.confidence, 0.99);
  EXPECT_EQ(request.overrides.budget, 8);
  EXPECT_EQ(request.overrides.policy, "bon:n=8");
  EXPECT_TRUE(request.overrides.any());
  EXPECT_FALSE(parse(simple()).overrides.any());
  EXPECT_EQ(parse(simple({{"optscale", {{"budget", 16.0}}}})).overrides.budget, 16);
}

struct BadBody {
  std::string body;
  std::string param;    // expected `param` of the error ("" = none)
  std::string phrase;   // a phrase of the message
};

TEST(ChatRequest, MalformedRequestsAreRefusedWithTheField) {
  const std::vector<BadBody> cases = {
      {"{not json", "", "not valid JSON"},
      {"[1,2]", "", "must be a JSON object"},
      {R"({"model":"m"})", "messages", "missing required field `messages`"},
      {R"({"messages":[]})", "messages", "non-empty list"},
      {R"({"messages":"hi"})", "messages", "non-empty list"},
      {R"({"messages":[1]})", "messages[0]", "must be an object"},
      {R"({"messages":[{"content":"x"}]})", "messages[0].role", "no string `role`"},
      {R"({"messages":[{"role":"user","content":5}]})", "messages[0].content", "string or a list"},
      {R"({"messages":[{"role":"user","content":[{"text":"x"}]}]})", "messages[0].content[0]", "`type`"},
      {R"({"messages":[{"role":"user","content":[{"type":"text"}]}]})", "messages[0].content[0]", "no string `text`"},
      {R"({"messages":[{"role":"system","content":"x"}]})", "messages", "no user turn"},
      {simple({{"model", 3}}).dump(), "model", "must be a string"},
      {simple({{"n", 0}}).dump(), "n", "expected an integer in [1, 128]"},
      {simple({{"n", 1.5}}).dump(), "n", "expected an integer"},
      {simple({{"n", "2"}}).dump(), "n", "expected an integer"},
      {simple({{"stream", "yes"}}).dump(), "stream", "true or false"},
      {simple({{"stream_options", 1}}).dump(), "stream_options", "must be an object"},
      {simple({{"stream_options", {{"include_usage", 1}}}}).dump(), "stream_options.include_usage", "true or false"},
      {simple({{"seed", 1.5}}).dump(), "seed", "64-bit integer"},
      {simple({{"seed", 18446744073709551615ULL}}).dump(), "seed", "64-bit integer"},
      {simple({{"optscale", 1}}).dump(), "optscale", "must be an object"},
      {simple({{"optscale", {{"target", 1.5}}}}).dump(), "optscale.target", "in [0, 1]"},
      {simple({{"optscale", {{"target", "high"}}}}).dump(), "optscale.target", "must be a number"},
      {simple({{"optscale", {{"confidence", 1}}}}).dump(), "optscale.confidence", "in (0, 1)"},
      {simple({{"optscale", {{"confidence", 0}}}}).dump(), "optscale.confidence", "in (0, 1)"},
      {simple({{"optscale", {{"budget", 0}}}}).dump(), "optscale.budget", "integer >= 1"},
      {simple({{"optscale", {{"budget", 2.5}}}}).dump(), "optscale.budget", "integer >= 1"},
      {simple({{"optscale", {{"budget", 1e12}}}}).dump(), "optscale.budget", "integer >= 1"},
      {simple({{"optscale", {{"policy", ""}}}}).dump(), "optscale.policy", "non-empty strategy spec"},
      {simple({{"optscale", {{"targte", 0.9}}}}).dump(), "optscale.targte", "unknown key `optscale.targte`"},
  };
  for (const BadBody& c : cases) {
    try {
      parse_chat_request(c.body);
      ADD_FAILURE() << "accepted: " << c.body;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400) << c.body;
      EXPECT_EQ(e.param().value_or(""), c.param) << c.body;
      EXPECT_NE(std::string(e.what()).find(c.phrase), std::string::npos) << c.body << ": " << e.what();
    }
  }
}

TEST(PassthroughReason, HeaderClientChoicesAndToolsPassThrough) {
  EXPECT_FALSE(passthrough_reason(parse(simple()), ""));
  EXPECT_FALSE(passthrough_reason(parse(simple()), "on"));
  EXPECT_EQ(passthrough_reason(parse(simple()), "off"), "header");
  EXPECT_EQ(passthrough_reason(parse(simple()), "OFF"), "header");
  EXPECT_EQ(passthrough_reason(parse(simple({{"n", 3}})), ""), "client-n");
  EXPECT_FALSE(passthrough_reason(parse(simple({{"n", 1}})), ""));
  EXPECT_EQ(passthrough_reason(parse(simple({{"tools", json::array({{{"type", "function"}}})}})), ""), "tools");
  EXPECT_FALSE(passthrough_reason(parse(simple({{"tools", nullptr}})), ""));
}

TEST(PassthroughReason, OverridesOnAPassThroughRequestAreAnError) {
  const ChatRequest request = parse(simple({{"n", 2}, {"optscale", {{"budget", 4}}}}));
  try {
    passthrough_reason(request, "");
    FAIL() << "accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.param(), "optscale");
  }
  EXPECT_THROW(passthrough_reason(parse(simple()), "maybe"), ApiError);
}

}  // namespace
}  // namespace optscale::server
