// read_pool_records: a pool given as one JSON object text per problem (what
// the Python package makes of a list of dicts), checked by the same rules as
// a file, with messages naming "<name>[i]".
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "optscale/pool/pool.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

using testing::error_message;

TEST(ReadPoolRecords, ReadsTheSameProblemsAsTheFileOfTheSameLines) {
  const auto fixture = testing::test_data_dir() / "pools" / "valid_small.jsonl";
  std::ifstream in(fixture);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
  const Pool from_file = read_pool(fixture);
  const Pool from_records = read_pool_records(lines, "pool");
  ASSERT_EQ(from_records.problems.size(), from_file.problems.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Problem &a = from_records.problems[i], &b = from_file.problems[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.gold, b.gold);
    ASSERT_EQ(a.samples.size(), b.samples.size());
    for (std::size_t j = 0; j < a.samples.size(); ++j) {
      EXPECT_EQ(a.samples[j].score, b.samples[j].score);
      EXPECT_EQ(a.samples[j].answer, b.samples[j].answer);
      EXPECT_EQ(a.samples[j].tokens, b.samples[j].tokens);
    }
  }
}

TEST(ReadPoolRecords, NamesTheRecordAndTheField) {
  const std::string good = R"({"id":"a","problem":"","samples":[{"score":0.5,"answer":"1","tokens":3}]})";
  EXPECT_EQ(error_message([&] {
              read_pool_records(std::vector<std::string>{good, R"({"id":"b","problem":"","samples":[{"score":NaN,"tokens":1}]})"},
                                "pool");
            }),
            "pool[1]: samples[0].score: must be in [0,1], got NaN");
  EXPECT_EQ(error_message([&] { read_pool_records(std::vector<std::string>{good, good}, "pool"); }),
            "pool[1]: id: duplicate id \"a\" (first on pool[0])");
  EXPECT_EQ(error_message([&] { read_pool_records(std::vector<std::string>{}, "pool"); }),
            "pool: holds no problems");
  EXPECT_NE(error_message([&] { read_pool_records(std::vector<std::string>{"{"}, "pool"); })
                .find("pool[0]: invalid JSON"),
            std::string::npos);
}

}  // namespace
}  // namespace optscale::pool
