// examples/simulated-math500.jsonl is exactly what its documented command
// (examples/README.md) produces with the current simulator.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "optscale/pool/pool.hpp"
#include "optscale/pool/simulate.hpp"
#include "test_support.hpp"

namespace optscale::pool {
namespace {

std::string bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(BundledPool, IsTheOutputOfItsDocumentedCommand) {
  const auto bundled = std::filesystem::path(OPTSCALE_SOURCE_DIR) / "examples" / "simulated-math500.jsonl";
  ASSERT_TRUE(std::filesystem::exists(bundled));
  EXPECT_LT(std::filesystem::file_size(bundled), 5'000'000u);
  // simulate --problems 500 --samples 64 --seed 1 --profile math500
  const auto dir = testing::make_temp_dir("bundled-pool");
  write_pool(simulate_pool(simulator_profile("math500"), 500, 64, 1).pool, dir / "regenerated.jsonl");
  EXPECT_TRUE(bytes(bundled) == bytes(dir / "regenerated.jsonl"))
      << "examples/simulated-math500.jsonl is stale: regenerate it with the command in examples/README.md";
  std::filesystem::remove_all(dir);
  const Pool pool = read_pool(bundled);
  EXPECT_EQ(pool.problems.size(), 500u);
  EXPECT_TRUE(pool.synthetic());
}

}  // namespace
}  // namespace optscale::pool
