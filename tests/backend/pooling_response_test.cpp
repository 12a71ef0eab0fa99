// Every /pooling and /classify response shape, and the misconfigurations that
// must be refused rather than scored.
#include "optscale/backend/pooling_response.hpp"

#include <gtest/gtest.h>

#include "optscale/backend/openai_response.hpp"

namespace optscale::backend {
namespace {

using Rewards = std::vector<std::vector<double>>;

Rewards parse(const char* body, std::vector<std::size_t> steps, int positive = 1) {
  return parse_pooling_response(body, steps, positive);
}

TEST(PoolingResponse, RowsOfTwoClassProbabilities) {
  EXPECT_EQ(parse(R"({"object":"list","data":[{"index":0,"object":"pooling","data":[[0.1,0.9],[0.3,0.7]]}]})", {2}),
            (Rewards{{0.9, 0.7}}));
  EXPECT_EQ(parse(R"({"data":[{"data":[[0.1,0.9]]}]})", {1}, 0), (Rewards{{0.1}}));
  EXPECT_EQ(parse(R"({"data":[{"data":[[0.9],[0.8]]}]})", {2}), (Rewards{{0.9, 0.8}}));
}

TEST(PoolingResponse, FlatListsBareNumbersAndOtherKeys) {
  EXPECT_EQ(parse(R"({"data":[{"data":[0.9,0.8,0.7]}]})", {3}), (Rewards{{0.9, 0.8, 0.7}}));
  EXPECT_EQ(parse(R"({"data":[{"data":[0.25,0.75]}]})", {1}), (Rewards{{0.75}}));
  EXPECT_EQ(parse(R"({"data":[{"data":[0.1,0.9,0.4,0.6]}]})", {2}), (Rewards{{0.9, 0.6}}));
  EXPECT_EQ(parse(R"({"data":[{"data":0.42}]})", {5}), (Rewards{{0.42}}));  // vLLM #33873
  EXPECT_EQ(parse(R"({"data":[{"embedding":[[0.5,0.5]]}]})", {1}), (Rewards{{0.5}}));
  EXPECT_EQ(parse(R"([{"embedding":[0.3]}])", {1}), (Rewards{{0.3}}));
}

TEST(PoolingResponse, ItemsFollowTheirIndex) {
  EXPECT_EQ(parse(R"({"data":[{"index":1,"data":[[0,1]]},{"index":0,"data":[[1,0]]}]})", {1, 1}),
            (Rewards{{0.0}, {1.0}}));
}

TEST(PoolingResponse, RefusesWhatCannotBeScored) {
  EXPECT_THROW(parse(R"({"data":[{"data":[[0.1,0.9]]}]})", {3}), MalformedResponse);  // not STEP pooling
  EXPECT_THROW(parse(R"({"data":[{"data":[0.1,0.2,0.3]}]})", {2}), MalformedResponse);
  EXPECT_THROW(parse(R"({"data":[{"data":"AAAA"}]})", {1}), MalformedResponse);
  EXPECT_THROW(parse(R"({"data":[{"data":[[2.3,-1.2]]}]})", {1}), MalformedResponse);  // logits
  EXPECT_THROW(parse(R"({"data":[{"data":[[0.1,0.9]]}]})", {1}, 2), MalformedResponse);
  EXPECT_THROW(parse(R"({"data":[]})", {1}), MalformedResponse);
  EXPECT_THROW(parse(R"({"data":[{"x":1}]})", {1}), MalformedResponse);
  EXPECT_THROW(parse("not json", {1}), MalformedResponse);
  EXPECT_THROW(parse(R"({"data":[{"data":[["a","b"]]}]})", {1}), MalformedResponse);
}

TEST(ClassifyResponse, ProbsOrScore) {
  EXPECT_EQ(parse_classify_response(
                R"({"data":[{"index":0,"label":"LABEL_1","probs":[0.2,0.8],"num_classes":2},{"index":1,"probs":[0.6]}]})",
                2, 1),
            (std::vector<double>{0.8, 0.6}));
  EXPECT_EQ(parse_classify_response(R"([{"score":0.3,"label":"x"}])", 1, 1), (std::vector<double>{0.3}));
  EXPECT_THROW(parse_classify_response(R"({"data":[{"probs":[0.2,0.8]}]})", 2, 1), MalformedResponse);
  EXPECT_THROW(parse_classify_response(R"({"data":[{"label":"x"}]})", 1, 1), MalformedResponse);
  EXPECT_THROW(parse_classify_response(R"({"data":[{"probs":[0.1,0.2,0.7]}]})", 1, 3), MalformedResponse);
}

}  // namespace
}  // namespace optscale::backend
