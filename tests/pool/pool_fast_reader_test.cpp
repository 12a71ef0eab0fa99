// The streaming pool reader: its fast path (simdjson) reads every line as the
// parse_json path does or declines it, so messages stay parse_json's; texts
// dropped at reading leave what replay and stats need (answer, length); the
// result does not depend on the number of threads.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "../../src/pool/pool_line_fast.hpp"
#include "optscale/answers/answers.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/pool_stats.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

// The reader's verdict on one line: the problem as written back, or the
// message without its position prefix.
std::string verdict_of_file(const std::filesystem::path& path) {
  try {
    const Pool pool = read_pool(path);
    return "ok " + pool_line(pool.problems.at(0));
  } catch (const Error& e) {
    const std::string message = e.what();
    return message.substr(message.find(":1: ") + 4);
  }
}

// The same line through the parse_json path only (records are never padded).
std::string verdict_of_record(const std::string& line) {
  try {
    const Pool pool = read_pool_records(std::vector<std::string>{line}, "pool");
    return "ok " + pool_line(pool.problems.at(0));
  } catch (const Error& e) {
    const std::string message = e.what();
    return message.substr(message.find("pool[0]: ") + 9);
  }
}

const std::string kHead = R"({"id":"p","problem":"x",)";

// Lines the fast path must read exactly as parse_json does, or decline: each
// (with its message, when invalid) comes out the same either way.
const std::vector<std::string> kLines = {
    kHead + R"("samples":[{"text":"so \\boxed{12}.","score":0.5,"tokens":3}]})",
    kHead + R"("samples":[{"text":"","score":0,"tokens":0,"correct":false}]})",
    kHead + R"("gold":"1","prior":[0.5,-1],"generator":"g","verifier":"v","synthetic":true,"samples":[{"answer":"1","score":1,"step_scores":[0,1,0.25],"tokens":2766.0,"correct":true}]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1,"score":0.25}]})",                    // the last key wins
    kHead + R"("samples":[{"score":-0,"tokens":-0.0}]})",
    kHead + R"("samples":[{"score":1e-320,"tokens":9000000000000000}]})",
    kHead + R"("samples":[{"score":0.1000000000000000055511151231257827,"tokens":1}]})",
    kHead + R"("samples":[{"text":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/","score":0.5,"tokens":1}]})",
    kHead + R"("samples":[{"score":18446744073709551615,"tokens":1}]})",
    kHead + R"("samples":[{"score":0.5,"tokens":9223372036854775808}]})",            // past 2^63
    kHead + R"("samples":[{"score":0.5,"tokens":100000000000000000000}]})",          // past 2^64
    kHead + R"("samples":[{"score":0.5,"tokens":1e400}]})",                          // out of a double
    kHead + R"("samples":[{"score":NaN,"tokens":1}]})",
    kHead + R"("samples":[{"score":-Infinity,"tokens":1}]})",
    kHead + R"("samples":[{"score":"0.5","tokens":1}]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1.5}]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1,"text":null}]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1,"extra":1}]})",
    kHead + R"("samples":[{"score":0.5}]})",
    kHead + R"("samples":[1]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1}],"prior":[1]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1}],"prior":[1,"a"]})",
    kHead + R"("samples":[{"score":1.5,"tokens":-1}]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1,"text":"a	b"}]})",                // a raw tab in a string
    kHead + R"("samples":[{"score":0.5,"tokens":1,"text":"\ud800"}]})",
    kHead + "\"samples\":[{\"score\":0.5,\"tokens\":1,\"text\":\"\xff\"}]}",
    kHead + R"("samples":[{"score":0.5,"tokens":1}]} trailing)",
    kHead + R"("samples":[{"score":0.5,"tokens":1},]})",
    kHead + R"("samples":[{"score":0.5,"tokens":1}],"x":)" + std::string(300, '[') + std::string(300, ']') + "}",
    kHead + R"("samples":[{"score":0.5,"tokens":1,"step_scores":)" + std::string(260, '[') + std::string(260, ']') + "}]}",
    R"({"problem":"x","samples":[{"score":0.5,"tokens":1}]})",
    R"({"id":7,"problem":"x","samples":[{"score":0.5,"tokens":1}]})",
    R"(["not an object"])",
    R"({"id":"p","id":"q","problem":"x","samples":[{"score":0.5,"tokens":1}]})",
};

TEST(PoolFastReader, EveryLineReadsAsTheParseJsonPathReadsIt) {
  const auto dir = testing::make_temp_dir("pool-fast");
  for (std::size_t i = 0; i < kLines.size(); ++i) {
    const auto path = dir / ("line" + std::to_string(i) + ".jsonl");
    std::ofstream(path) << kLines[i] << "\n";
    EXPECT_EQ(verdict_of_file(path), verdict_of_record(kLines[i])) << kLines[i].substr(0, 120);
  }
  std::filesystem::remove_all(dir);
}

// The messages users see for the cases the hardening issue named, as before.
TEST(PoolFastReader, KeepsParseJsonsMessages) {
  EXPECT_EQ(verdict_of_record(kHead + R"("samples":[{"score":0.5,"tokens":1e400}]})"),
            "`samples[0].tokens`: the number 1e400 is outside the range of a double (magnitude up to 1.8e308)");
  EXPECT_TRUE(verdict_of_record(kHead + R"("samples":[{"score":0.5,"tokens":1}],"x":)" + std::string(300, '[') +
                                std::string(300, ']') + "}")
                  .starts_with("nested deeper than the limit of 256 arrays/objects (at `x"));
  EXPECT_EQ(verdict_of_record(kHead + R"("samples":[{"score":"0.5","tokens":1}]})"),
            "samples[0].score: must be a number, got string");
  EXPECT_TRUE(verdict_of_record(kHead + R"("samples":[{"score":0.5,"tokens":1},]})").starts_with("invalid JSON: "));
}

TEST(PoolFastReader, TheFastPathAcceptsTheFormatsLines) {
  util::FastJson parser;
  for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 7u}) {
    const std::string padded = kLines[i] + std::string(util::kFastJsonPadding, ' ');
    EXPECT_TRUE(detail::fast_problem_from_line(std::string_view(padded.data(), kLines[i].size()), parser,
                                               Texts::keep))
        << kLines[i];
  }
}

std::filesystem::path write_lines(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const std::string& line : lines) out << line << "\n";
  return path;
}

// Streaming: a pool read with Texts::drop holds no text, only what replay and
// stats need of each; every figure stats makes of it is the same.
TEST(PoolFastReader, DroppedTextsKeepTheirAnswerAndLengthOnly) {
  const auto dir = testing::make_temp_dir("pool-drop");
  const std::string long_text = std::string(20000, 'w') + " so \\boxed{\\frac{1}{2}}.";
  const auto path = write_lines(
      dir / "p.jsonl",
      {R"({"id":"a","problem":"x","gold":"1/2","samples":[{"text":")" + std::string(20000, 'w') +
           R"( so \\boxed{\\frac{1}{2}}.","score":0.9,"tokens":5},{"text":"","score":0.2,"tokens":0},)"
           R"({"text":"no box here","answer":"3","score":0.4,"tokens":2},{"score":0.3,"tokens":1}]})",
       R"({"id":"b","problem":"y","gold":"2","samples":[{"text":"\\boxed{2}","score":0.5,"tokens":1}]})"});
  const Pool kept = read_pool(path);
  const Pool dropped = read_pool(path, {Texts::drop});
  ASSERT_EQ(dropped.problems.size(), 2u);
  const auto& s = dropped.problems[0].samples;
  for (const Problem& problem : dropped.problems) {
    for (const Sample& sample : problem.samples) EXPECT_FALSE(sample.text.has_value());
  }
  ASSERT_TRUE(s[0].dropped.has_value());
  EXPECT_EQ(s[0].dropped->bytes, long_text.size());
  EXPECT_EQ(s[0].dropped->answer, answers::extract_answer(long_text));
  EXPECT_EQ(sample_answer(s[0]), "\\frac{1}{2}");
  EXPECT_TRUE(empty_completion(s[1]));
  EXPECT_FALSE(empty_completion(s[0]));
  EXPECT_EQ(s[2].dropped->answer, std::nullopt);  // its `answer` field is the answer: nothing extracted
  EXPECT_EQ(sample_answer(s[2]), "3");
  EXPECT_FALSE(s[3].dropped.has_value());
  EXPECT_FALSE(has_text(s[3]));
  for (std::size_t p = 0; p < kept.problems.size(); ++p) {
    for (std::size_t i = 0; i < kept.problems[p].samples.size(); ++i) {
      const Sample& k = kept.problems[p].samples[i];
      const Sample& d = dropped.problems[p].samples[i];
      EXPECT_EQ(sample_answer(k), sample_answer(d));
      EXPECT_EQ(has_text(k), has_text(d));
      EXPECT_EQ(empty_completion(k), empty_completion(d));
      EXPECT_EQ(sample_correctness(kept.problems[p], k), sample_correctness(dropped.problems[p], d));
    }
  }
  const PoolStats a = compute_pool_stats(kept), b = compute_pool_stats(dropped);
  EXPECT_EQ(a.samples_with_text, b.samples_with_text);
  EXPECT_EQ(a.samples_with_answer, b.samples_with_answer);
  EXPECT_EQ(a.empty_completions, b.empty_completions);
  EXPECT_EQ(a.sample_accuracy, b.sample_accuracy);
  EXPECT_EQ(a.best_of_n_accuracy, b.best_of_n_accuracy);
  // A pool without its texts is not written back (it would lose them).
  EXPECT_THROW(pool_line(dropped.problems[0]), Error);
  std::filesystem::remove_all(dir);
}

TEST(PoolFastReader, StreamingGivesProblemsInFileOrderOnAnyNumberOfThreads) {
  const auto dir = testing::make_temp_dir("pool-threads");
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    lines.push_back(R"({"id":"q)" + std::to_string(i) + R"(","problem":"","samples":[{"text":")" +
                    std::string(static_cast<std::size_t>(i * 37 % 5000), 'x') + R"(\\boxed{)" + std::to_string(i) +
                    R"(}","score":0.5,"tokens":)" + std::to_string(i) + "}]}");
  }
  lines[120] = "not json";
  lines[200] = R"({"id":"q5","problem":"","samples":[{"score":2,"tokens":1}]})";
  const auto path = write_lines(dir / "many.jsonl", lines);
  const auto one = validate_pool_file(path, 0, {Texts::drop, 1});
  ASSERT_EQ(one.size(), 3u);
  EXPECT_NE(one[0].find(":121: invalid JSON: "), std::string::npos)
      << one[0];
  for (int threads : {2, 3, 8}) EXPECT_EQ(validate_pool_file(path, 0, {Texts::drop, threads}), one) << threads;

  lines[120] = R"({"id":"fixed","problem":"","samples":[{"score":0.5,"tokens":1}]})";
  lines[200] = R"({"id":"fixed2","problem":"","samples":[{"score":0.5,"tokens":1}]})";
  write_lines(path, lines);
  std::vector<std::string> seen;
  for_each_problem(path, {Texts::keep, 2}, [&](Problem&& p) { seen.push_back(pool_line(p)); });
  ASSERT_EQ(seen.size(), 300u);
  const Pool single = read_pool(path, {Texts::keep, 1});
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], pool_line(single.problems[i]));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optscale::pool
