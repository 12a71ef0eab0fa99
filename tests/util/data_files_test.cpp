#include "optscale/util/data_files.hpp"

#include <gtest/gtest.h>

#include "optscale/util/error.hpp"

namespace {

TEST(DataFiles, LooksNextToTheProgramFirstThenInTheSourceTree) {
  const auto candidates = optscale::data_file_candidates("models/x.json");
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].filename(), "x.json");
  EXPECT_EQ(candidates[0].parent_path().parent_path().filename(), "optscale");
  EXPECT_EQ(candidates[0].parent_path().parent_path().parent_path().filename(), "share");
  EXPECT_EQ(candidates[1], std::filesystem::path(OPTSCALE_SOURCE_DIR) / "models" / "x.json");
}

TEST(DataFiles, FindsTheShippedModelInTheSourceTree) {
  EXPECT_EQ(optscale::find_data_file("models/default-predictor.json", "model", "hint"),
            std::filesystem::path(OPTSCALE_SOURCE_DIR) / "models" / "default-predictor.json");
}

TEST(DataFiles, AMissingFileNamesWhatAndEveryPlaceTried) {
  try {
    optscale::find_data_file("models/no-such-file.json", "default predictor", "name one with --model");
    FAIL() << "no error";
  } catch (const optscale::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("default predictor"), std::string::npos) << message;
    EXPECT_NE(message.find("name one with --model"), std::string::npos) << message;
    for (const auto& place : optscale::data_file_candidates("models/no-such-file.json"))
      EXPECT_NE(message.find(place.string()), std::string::npos) << message;
  }
}

}  // namespace
