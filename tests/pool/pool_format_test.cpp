// The pool format's rules (docs/pool-format.md), one hand-written fixture per
// rule under tests/data/pools/.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "optscale/pool/pool.hpp"
#include "optscale/util/error.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

std::filesystem::path fixture(const std::string& name) {
  return testing::test_data_dir() / "pools" / name;
}

std::string read_error(const std::filesystem::path& path) {
  try {
    read_pool(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ReadPool, ReadsEveryFieldOfAValidPool) {
  const Pool pool = read_pool(fixture("valid_small.jsonl"));
  ASSERT_EQ(pool.problems.size(), 3u);
  const Problem& p1 = pool.problems[0];
  EXPECT_EQ(p1.id, "p1");
  EXPECT_EQ(p1.problem, "What is 1+1?");
  EXPECT_EQ(p1.gold, "2");
  ASSERT_TRUE(p1.prior.has_value());
  EXPECT_DOUBLE_EQ((*p1.prior)[0], 0.93);
  EXPECT_DOUBLE_EQ((*p1.prior)[1], 0.05);
  EXPECT_EQ(p1.generator, "hand");
  EXPECT_EQ(p1.verifier, "hand-prm");
  EXPECT_FALSE(p1.synthetic);
  ASSERT_EQ(p1.samples.size(), 3u);
  EXPECT_EQ(p1.samples[0].text, "1+1 = \\boxed{2}");
  EXPECT_EQ(p1.samples[0].answer, "2");
  EXPECT_DOUBLE_EQ(p1.samples[0].score, 0.97);
  EXPECT_EQ(p1.samples[0].step_scores, (std::vector<double>{0.99, 0.95}));
  EXPECT_EQ(p1.samples[0].tokens, 12);
  EXPECT_EQ(p1.samples[0].correct, true);
  EXPECT_EQ(p1.samples[1].text, "");
  EXPECT_FALSE(p1.samples[1].answer.has_value());
  EXPECT_FALSE(p1.samples[1].correct.has_value());
  EXPECT_EQ(p1.samples[2].tokens, 2766);  // 2766.0 is an integer
  EXPECT_FALSE(p1.samples[2].text.has_value());

  const Problem& p2 = pool.problems[1];
  EXPECT_EQ(p2.problem, "");
  EXPECT_FALSE(p2.gold.has_value());
  EXPECT_FALSE(p2.prior.has_value());
  EXPECT_DOUBLE_EQ(p2.samples[0].score, 1.0);
  EXPECT_DOUBLE_EQ(p2.samples[1].score, 0.0);

  // A blank line is skipped; a prior sigma <= 0 is kept (the reference predictor emits them).
  const Problem& p3 = pool.problems[2];
  EXPECT_TRUE(p3.synthetic);
  EXPECT_DOUBLE_EQ((*p3.prior)[1], -0.02);
  EXPECT_TRUE(pool.synthetic());
}

TEST(ReadPool, AcceptsCrlfAndAMissingFinalNewline) {
  const Pool pool = read_pool(fixture("valid_crlf.jsonl"));
  ASSERT_EQ(pool.problems.size(), 2u);
  EXPECT_EQ(pool.problems[0].problem, "CRLF line endings");
  EXPECT_EQ(pool.problems[1].samples[0].tokens, 2);
  EXPECT_FALSE(pool.synthetic());
}

struct InvalidCase {
  const char* file;
  const char* message;  // what follows "<path>:"
};

// Every rejected input and the exact message that names its line and field.
const InvalidCase kInvalid[] = {
    {"score_nan", "2: samples[1].score: must be in [0,1], got NaN"},
    {"score_infinity", "2: samples[0].score: must be in [0,1], got inf"},
    {"score_negative_infinity", "2: samples[0].score: must be in [0,1], got -inf"},
    {"score_above_one", "2: samples[3].score: must be in [0,1], got 1.5"},
    {"score_negative", "2: samples[0].score: must be in [0,1], got -0.01"},
    {"score_string", "2: samples[0].score: must be a number, got string"},
    {"score_missing", "2: samples[0].score: missing (required)"},
    {"score_null", "2: samples[0].score: must be a number, got null (omit the field instead)"},
    {"step_score_out_of_range", "2: samples[0].step_scores[1]: must be in [0,1], got 2"},
    {"step_scores_not_list", "2: samples[0].step_scores: must be a list of numbers, got number"},
    {"tokens_negative", "2: samples[0].tokens: must be >= 0, got -3"},
    {"tokens_fraction", "2: samples[0].tokens: must be an integer, got 12.5"},
    {"tokens_string", "2: samples[0].tokens: must be a number, got string"},
    {"tokens_missing", "2: samples[0].tokens: missing (required)"},
    {"samples_empty", "2: samples: must hold at least one sample, got []"},
    {"samples_missing", "2: samples: missing (required)"},
    {"samples_not_list", "2: samples: must be a list of sample objects, got object"},
    {"sample_not_object", "2: samples[0]: must be an object, got number"},
    {"duplicate_id", "2: id: duplicate id \"ok\" (first on line 1)"},
    {"unknown_sample_field",
     "2: samples[0].socre: unknown field (allowed: text, answer, score, step_scores, tokens, "
     "correct)"},
    {"unknown_problem_field",
     "2: answer: unknown field (allowed: id, problem, gold, samples, prior, generator, verifier, "
     "synthetic)"},
    {"id_missing", "2: id: missing (required)"},
    {"id_empty", "2: id: must not be empty"},
    {"id_number", "2: id: must be a string, got number"},
    {"problem_missing", "2: problem: missing (required; may be \"\")"},
    {"gold_empty", "2: gold: must not be empty (omit the field when the gold answer is unknown)"},
    {"gold_number", "2: gold: must be a string, got number"},
    {"prior_one_value", "2: prior: must be a list [mu, sigma] of two numbers, got a list of 1"},
    {"prior_nan", "2: prior[1]: must be finite, got NaN"},
    {"correct_not_bool", "2: samples[0].correct: must be true or false, got number"},
    {"synthetic_not_bool", "2: synthetic: must be true or false, got string"},
    {"text_not_string", "2: samples[0].text: must be a string, got array"},
    {"line_not_object", "2: (line): must be a JSON object, got array"},
};

TEST(ReadPool, RejectsEachInvalidInputNamingFileLineAndField) {
  for (const auto& c : kInvalid) {
    const auto path = fixture(std::string("invalid/") + c.file + ".jsonl");
    EXPECT_EQ(read_error(path), path.string() + ":" + c.message) << c.file;
  }
}

TEST(ReadPool, RejectsSyntaxErrorsWithTheLine) {
  const auto path = fixture("invalid/syntax_error.jsonl");
  const std::string message = read_error(path);
  EXPECT_TRUE(message.starts_with(path.string() + ":2: invalid JSON: ")) << message;
}

TEST(ReadPool, RejectsFilesWithoutProblems) {
  for (const char* name : {"invalid/empty.jsonl", "invalid/blank_lines_only.jsonl"}) {
    const auto path = fixture(name);
    EXPECT_EQ(read_error(path),
              path.string() + ": holds no problems (expected one JSON object per line)");
  }
}

TEST(ReadPool, RejectsAMissingFile) {
  const std::string message = read_error(fixture("does_not_exist.jsonl"));
  EXPECT_NE(message.find("does_not_exist.jsonl: cannot open for reading"), std::string::npos)
      << message;
}

TEST(ValidatePoolFile, ReportsEveryErrorUpToTheLimit) {
  const auto dir = testing::make_temp_dir("pool-validate");
  const auto path = dir / "many.jsonl";
  std::ofstream(path) << "{\"id\": \"a\", \"problem\": \"\", \"samples\": [{\"score\": 2, \"tokens\": -1}]}\n"
                      << "{\"id\": \"a\", \"problem\": \"\", \"samples\": []}\n"
                      << "not json\n"
                      << "{\"id\": \"b\", \"problem\": \"\", \"samples\": [{\"score\": 0.5, \"tokens\": 1}]}\n";
  const auto all = validate_pool_file(path);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0], path.string() + ":1: samples[0].score: must be in [0,1], got 2");
  EXPECT_EQ(all[1], path.string() + ":1: samples[0].tokens: must be >= 0, got -1");
  EXPECT_EQ(all[2], path.string() + ":2: samples: must hold at least one sample, got []");
  EXPECT_EQ(all[3], path.string() + ":2: id: duplicate id \"a\" (first on line 1)");
  EXPECT_TRUE(all[4].starts_with(path.string() + ":3: invalid JSON")) << all[4];
  EXPECT_EQ(validate_pool_file(path, 2).size(), 2u);
  EXPECT_TRUE(validate_pool_file(fixture("valid_small.jsonl")).empty());
  std::filesystem::remove_all(dir);
}

TEST(WritePool, RoundTripsEveryField) {
  const Pool original = read_pool(fixture("valid_small.jsonl"));
  const auto dir = testing::make_temp_dir("pool-roundtrip");
  write_pool(original, dir / "out.jsonl");
  EXPECT_FALSE(std::filesystem::exists(dir / "out.jsonl.tmp"));
  const Pool again = read_pool(dir / "out.jsonl");
  ASSERT_EQ(again.problems.size(), original.problems.size());
  for (std::size_t i = 0; i < original.problems.size(); ++i) {
    const Problem &a = original.problems[i], &b = again.problems[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.problem, b.problem);
    EXPECT_EQ(a.gold, b.gold);
    EXPECT_EQ(a.prior, b.prior);
    EXPECT_EQ(a.generator, b.generator);
    EXPECT_EQ(a.verifier, b.verifier);
    EXPECT_EQ(a.synthetic, b.synthetic);
    ASSERT_EQ(a.samples.size(), b.samples.size());
    for (std::size_t j = 0; j < a.samples.size(); ++j) {
      EXPECT_EQ(a.samples[j].text, b.samples[j].text);
      EXPECT_EQ(a.samples[j].answer, b.samples[j].answer);
      EXPECT_EQ(a.samples[j].score, b.samples[j].score);  // shortest round-trip decimal
      EXPECT_EQ(a.samples[j].step_scores, b.samples[j].step_scores);
      EXPECT_EQ(a.samples[j].tokens, b.samples[j].tokens);
      EXPECT_EQ(a.samples[j].correct, b.samples[j].correct);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(WritePool, WritesFieldsInDocumentedOrderOneLinePerProblem) {
  Pool pool;
  Problem p;
  p.id = "q";
  p.problem = "text";
  p.gold = "4";
  p.prior = std::array<double, 2>{0.9, 0.1};
  p.generator = "g";
  p.synthetic = true;
  Sample s;
  s.answer = "4";
  s.score = 0.75;
  s.tokens = 3;
  s.correct = true;
  p.samples = {s};
  pool.problems = {p};
  const auto dir = testing::make_temp_dir("pool-write");
  write_pool(pool, dir / "o.jsonl");
  std::ifstream in(dir / "o.jsonl");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "{\"id\":\"q\",\"problem\":\"text\",\"gold\":\"4\",\"prior\":[0.9,0.1],\"generator\":\"g\","
            "\"synthetic\":true,\"samples\":[{\"answer\":\"4\",\"score\":0.75,\"tokens\":3,"
            "\"correct\":true}]}\n");
  std::filesystem::remove_all(dir);
}

TEST(WritePool, RefusesAnInvalidPoolAndLeavesNoFile) {
  Pool pool;
  Problem p;
  p.id = "bad";
  Sample s;
  s.score = std::nan("");
  s.tokens = 1;
  p.samples = {s};
  pool.problems = {p};
  const auto dir = testing::make_temp_dir("pool-write-bad");
  try {
    write_pool(pool, dir / "o.jsonl");
    FAIL() << "an invalid pool was written";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("samples[0].score: must be in [0,1], got NaN"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "o.jsonl"));
  EXPECT_FALSE(std::filesystem::exists(dir / "o.jsonl.tmp"));

  pool.problems[0].samples[0].score = 0.5;
  pool.problems.push_back(pool.problems[0]);
  EXPECT_THROW(write_pool(pool, dir / "o.jsonl"), Error);  // duplicate id
  EXPECT_THROW(write_pool(Pool{}, dir / "o.jsonl"), Error);  // nothing to write
  std::filesystem::remove_all(dir);
}

TEST(ProblemViolations, ListsEveryViolation) {
  Problem p;
  Sample s;
  s.score = 1.0000001;
  s.tokens = -1;
  s.step_scores = {0.5, -0.5};
  p.samples = {s};
  const auto v = problem_violations(p);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0], "id: must not be empty");
  EXPECT_EQ(v[1], "samples[0].score: must be in [0,1], got 1.0000001");
  EXPECT_EQ(v[2], "samples[0].step_scores[1]: must be in [0,1], got -0.5");
  EXPECT_EQ(v[3], "samples[0].tokens: must be >= 0, got -1");
}

}  // namespace
}  // namespace optscale::pool

namespace optscale::pool {
namespace {

// The example in docs/pool-format.md is a valid pool.
TEST(PoolFormatDoc, ExampleIsValid) {
  std::ifstream in(std::filesystem::path(OPTSCALE_SOURCE_DIR) / "docs" / "pool-format.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto begin = doc.find("```json\n");
  ASSERT_NE(begin, std::string::npos);
  const auto end = doc.find("```", begin + 8);
  const auto dir = testing::make_temp_dir("pool-doc");
  std::ofstream(dir / "example.jsonl") << doc.substr(begin + 8, end - begin - 8);
  const Pool pool = read_pool(dir / "example.jsonl");
  EXPECT_EQ(pool.problems.size(), 2u);
  EXPECT_TRUE(pool.synthetic());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optscale::pool
