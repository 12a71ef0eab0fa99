#include "optscale/util/input_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace {

using optscale::testing::error_message;

TEST(InputFile, MissingFileSaysNoSuchFile) {
  const auto message = error_message([] { optscale::open_for_reading("/nonexistent/problems.jsonl", "problems file"); });
  EXPECT_EQ(message, "problems file /nonexistent/problems.jsonl: cannot open for reading (No such file or directory)");
}

TEST(InputFile, DirectoryIsNamedAsSuch) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto message = error_message([&] { optscale::open_for_reading(dir); });
  EXPECT_EQ(message, dir.string() + ": cannot open for reading (it is a directory)");
}

TEST(InputFile, ReadableFileOpens) {
  const auto path = std::filesystem::temp_directory_path() / "optscale-input-file-test.txt";
  { std::ofstream(path) << "hello"; }
  auto in = optscale::open_for_reading(path);
  std::string word;
  in >> word;
  EXPECT_EQ(word, "hello");
  std::filesystem::remove(path);
}

}  // namespace
