// util::FastJson (simdjson with parse_json's limits) and util::LineReader
// (blocks of lines, padded for FastJson, memory bounded by a block).
#include "optscale/util/fast_json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "optscale/util/json_limits.hpp"
#include "optscale/util/line_reader.hpp"

namespace optscale::util {
namespace {

std::string nested_array(std::size_t depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); }

bool parse_json_accepts(const std::string& text) {
  try {
    parse_json(text, "t");
    return true;
  } catch (const JsonInputError&) {
    return false;
  }
}

TEST(FastJson, HasParseJsonsDepthLimit) {
  FastJson fast;
  for (std::size_t depth : {kMaxJsonDepth - 1, kMaxJsonDepth, kMaxJsonDepth + 1, std::size_t{100000}}) {
    const std::string text = nested_array(depth);
    EXPECT_EQ(fast.parse_unpadded(text).has_value(), parse_json_accepts(text)) << depth;
  }
  EXPECT_TRUE(fast.parse_unpadded(nested_array(kMaxJsonDepth)).has_value());
  EXPECT_FALSE(fast.parse_unpadded(nested_array(kMaxJsonDepth + 1)).has_value());
  // Objects count as arrays do.
  std::string objects;
  for (std::size_t i = 0; i < kMaxJsonDepth + 1; ++i) objects += "{\"a\":";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  EXPECT_FALSE(fast.parse_unpadded(objects).has_value());
  EXPECT_FALSE(parse_json_accepts(objects));
}

// Whatever parse_json refuses, FastJson refuses too (so the caller's fallback
// to parse_json gives its message); what both accept reads alike.
TEST(FastJson, RefusesEverythingParseJsonRefuses) {
  const char* refused[] = {
      "{\"a\":1e400}", "[-1e400]", "[NaN]", "[Infinity]", "{\"a\":1,}", "[1,]", "[01]", "[1.]", "[-]",
      "{\"a\":1} x", "[\"x\ty\"]", "[\"x\x01y\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]",
      "[\"\xff\"]", "[\"\xc3\"]", "[tru]", "[nul]", "{\"a\" 1}", "{'a':1}", "", " ", "[\"\\x\"]",
  };
  FastJson fast;
  for (const char* text : refused) {
    EXPECT_FALSE(parse_json_accepts(text)) << text;
    EXPECT_FALSE(fast.parse_unpadded(text).has_value()) << text;
  }
}

TEST(FastJson, ReadsWhatParseJsonReads) {
  FastJson fast;
  const std::string text = " {\"a\":[1,-2,3.5e2,\"x\\u00e9\\n\",true,null,{}],\"a\":2,\"c\":18446744073709551615,\"d\":-0} ";
  ASSERT_TRUE(parse_json_accepts(text));
  std::string padded = text + std::string(kFastJsonPadding, 'z');
  const auto root = fast.parse(std::string_view(padded.data(), text.size()));
  ASSERT_TRUE(root.has_value());
  simdjson::dom::object object;
  ASSERT_EQ(root->get_object().get(object), simdjson::SUCCESS);
  simdjson::dom::array list;
  ASSERT_EQ(object.begin().value().get_array().get(list), simdjson::SUCCESS);
  std::vector<std::string> kinds;
  for (simdjson::dom::element e : list) kinds.push_back(std::to_string(static_cast<int>(e.type())));
  EXPECT_EQ(list.size(), 7u);
  std::string_view s;
  ASSERT_EQ(list.at(3).get_string().get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "x\xc3\xa9\n");
  double d = 0;
  ASSERT_EQ(list.at(2).get_double().get(d), simdjson::SUCCESS);
  EXPECT_EQ(d, 350.0);
  std::uint64_t big = 0;
  ASSERT_EQ(object["c"].get_uint64().get(big), simdjson::SUCCESS);
  EXPECT_EQ(big, 18446744073709551615ull);
}

std::vector<std::pair<std::size_t, std::string>> all_lines(const std::string& input, std::size_t block,
                                                           std::size_t* largest_buffer = nullptr) {
  std::istringstream in(input);
  LineReader reader(in, block);
  std::vector<std::pair<std::size_t, std::string>> out;
  for (;;) {
    const auto& lines = reader.next("input");
    if (lines.empty()) break;
    for (const InputLine& line : lines) {
      // Every line has the padding readable after it (ASan would flag it).
      EXPECT_LE(line.text.data() + line.text.size() + kFastJsonPadding,
                line.text.data() + reader.buffer_bytes() + kFastJsonPadding);
      out.emplace_back(line.number, std::string(line.text));
    }
    if (largest_buffer) *largest_buffer = std::max(*largest_buffer, reader.buffer_bytes());
  }
  return out;
}

TEST(LineReader, HandsOutEveryLineWithItsNumber) {
  const std::string input = "a\r\n\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nccc\r\ndd";
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {1, "a"}, {2, ""}, {3, std::string(48, 'b')}, {4, "ccc"}, {5, "dd"}};
  for (std::size_t block : {1, 2, 3, 7, 16, 64, 1 << 20}) EXPECT_EQ(all_lines(input, block), expected) << block;
  EXPECT_TRUE(all_lines("", 16).empty());
  EXPECT_EQ(all_lines("x\n", 16), (std::vector<std::pair<std::size_t, std::string>>{{1, "x"}}));
}

// Memory is a block, or twice the longest line while one is longer: never the file.
TEST(LineReader, HoldsABlockNotTheFile) {
  std::string input;
  for (int i = 0; i < 2000; ++i) input += std::string(100 + i % 50, 'x') + "\n";
  input += std::string(5000, 'y') + "\n";
  for (int i = 0; i < 100; ++i) input += "z\n";
  std::size_t largest = 0;
  const auto lines = all_lines(input, 1024, &largest);
  ASSERT_EQ(lines.size(), 2101u);
  EXPECT_EQ(lines[2000].second, std::string(5000, 'y'));
  EXPECT_LE(largest, 2 * 5000 + kFastJsonPadding);
  EXPECT_LT(largest, input.size() / 20);
}

// A file without newlines (or one huge line) is refused at the line limit,
// naming the input and the line, instead of being read whole.
TEST(LineReader, RefusesALineLongerThanTheLimit) {
  const std::string input = "short\n" + std::string(5000, 'x') + "\nafter\n";
  std::istringstream in(input);
  LineReader reader(in, 64, 1000);
  try {
    for (;;) {
      if (reader.next("pool.jsonl").empty()) break;
    }
    FAIL() << "a 5000-byte line passed a 1000-byte limit";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pool.jsonl:2: line longer than 1000 bytes"), std::string::npos) << e.what();
  }
  EXPECT_LE(reader.buffer_bytes(), 2 * 1000 + kFastJsonPadding + 64);
  // At the limit itself, the line is read.
  std::istringstream exact(std::string(1000, 'y') + "\n");
  LineReader fits(exact, 64, 1000);
  ASSERT_EQ(fits.next("in").size(), 1u);
}

// A small file gets a block of its own size, not the 8 MB default.
TEST(LineReader, ASmallFileGetsABlockOfItsSize) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "optscale_line_reader_block.jsonl";
  { std::ofstream(path) << "{\"a\": 1}\n"; }
  EXPECT_EQ(LineReader::block_for_file(path), 10u);
  std::filesystem::remove(path);
  EXPECT_EQ(LineReader::block_for_file(path), LineReader::kDefaultBlock);  // unreadable size
}

}  // namespace
}  // namespace optscale::util
