// add_data_root: a program that carries its data files elsewhere (the Python
// package) names the folder, and it is looked up before the usual places.
// Its own program: the roots are process-wide.
#include <gtest/gtest.h>

#include <fstream>

#include "optscale/util/data_files.hpp"
#include "test_support.hpp"

namespace {

TEST(DataRoot, IsLookedUpFirstAndFindsTheFileThere) {
  const auto root = optscale::testing::make_temp_dir("optscale-data-root");
  std::filesystem::create_directories(root / "models");
  std::ofstream(root / "models" / "default-predictor.json") << "{}";

  optscale::add_data_root(root);
  const auto candidates = optscale::data_file_candidates("models/default-predictor.json");
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_EQ(candidates[0], root / "models" / "default-predictor.json");
  EXPECT_EQ(candidates[2], std::filesystem::path(OPTSCALE_SOURCE_DIR) / "models" / "default-predictor.json");
  EXPECT_EQ(optscale::find_data_file("models/default-predictor.json", "model", "hint"),
            root / "models" / "default-predictor.json");
  // A file only in the source tree is still found there.
  EXPECT_EQ(optscale::find_data_file("examples/simulated-math500.jsonl", "pool", "hint"),
            std::filesystem::path(OPTSCALE_SOURCE_DIR) / "examples" / "simulated-math500.jsonl");
  std::filesystem::remove_all(root);
}

}  // namespace
