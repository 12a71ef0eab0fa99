// The answer checker against the real benchmark golds in
// ../shared/data/optscale-reference/test_prompts (skips without them).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "optscale/answers/answers.hpp"
#include "test_support.hpp"

namespace optscale::answers {
namespace {

namespace fs = std::filesystem;

nlohmann::json load_prompts(const fs::path& data, const std::string& name) {
  const fs::path path = data / "optscale-reference" / "test_prompts" / (name + ".json");
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return nlohmann::json::parse(in);
}

bool is_integer_text(const std::string& s) {
  std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// Golds read as answers, match themselves and their own canonical key.
void expect_gold_well_formed(const std::string& where, const std::string& gold) {
  const std::string key = canonical_key(gold);
  EXPECT_FALSE(key.empty()) << where << ": gold '" << gold << "' has no key";
  EXPECT_TRUE(answers_equivalent(gold, gold)) << where << ": '" << gold << "'";
  EXPECT_TRUE(answers_equivalent(gold, key)) << where << ": '" << gold << "' vs its key '" << key << "'";
  EXPECT_TRUE(answers_equivalent(key, gold)) << where << ": key '" << key << "' vs '" << gold << "'";
}

TEST(GoldReference, MathAimeAmcGoldsAreWellFormed) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  for (const std::string name : {"math500_test", "aime24", "aime25", "amc23"}) {
    const nlohmann::json items = load_prompts(data, name);
    ASSERT_FALSE(items.empty()) << name;
    for (std::size_t i = 0; i < items.size(); ++i)
      expect_gold_well_formed(name + "[" + std::to_string(i) + "]", items[i].at("answer").get<std::string>());
  }
}

TEST(GoldReference, Gsm8kGoldsComeOutOfHashes) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const nlohmann::json items = load_prompts(data, "gsm8k_test");
  ASSERT_EQ(items.size(), 1319u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string solution = items[i].at("answer").get<std::string>();
    const auto gold = extract_gsm8k_gold(solution);
    ASSERT_TRUE(gold.has_value()) << "gsm8k[" << i << "] has no '####'";
    EXPECT_TRUE(is_integer_text(*gold)) << "gsm8k[" << i << "]: '" << *gold << "'";
    EXPECT_EQ(canonical_key(*gold), *gold) << "gsm8k[" << i << "]: an integer keys as itself";
    EXPECT_EQ(extract_answer(solution), gold) << "gsm8k[" << i << "]: worked solutions carry no box";
    expect_gold_well_formed("gsm8k[" + std::to_string(i) + "]", *gold);
  }
}

// The gold `answer` of each MATH500 problem against the last \boxed{} of its
// own `solution`: the checker must call them equivalent almost always.
TEST(GoldReference, Math500GoldEqualsTheLastBoxOfItsSolution) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const nlohmann::json items = load_prompts(data, "math500_test");
  ASSERT_EQ(items.size(), 500u);
  int matched = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string gold = items[i].at("answer").get<std::string>();
    const auto boxed = last_boxed(items[i].at("solution").get<std::string>());
    if (boxed && answers_equivalent(gold, *boxed)) {
      ++matched;
    } else {
      ADD_FAILURE() << "math500[" << i << "]: gold '" << gold << "' vs box '" << boxed.value_or("<none>") << "'";
    }
  }
  const double rate = static_cast<double>(matched) / static_cast<double>(items.size());
  std::cout << "MATH500 gold = last box of solution: " << matched << "/" << items.size() << " (" << 100.0 * rate
            << "%)\n";
  RecordProperty("math500_gold_box_matches", matched);
  EXPECT_GE(rate, 0.99);
}

// AIME 2024 solutions are free text; where they box an answer it must be the gold.
TEST(GoldReference, Aime24BoxedSolutionsMatchTheGold) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const nlohmann::json items = load_prompts(data, "aime24");
  int boxed_count = 0, matched = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto boxed = last_boxed(items[i].at("solution").get<std::string>());
    if (!boxed) continue;
    ++boxed_count;
    const std::string gold = items[i].at("answer").get<std::string>();
    if (answers_equivalent(gold, *boxed)) {
      ++matched;
    } else {
      std::cout << "aime24[" << i << "]: gold '" << gold << "' vs box '" << *boxed << "'\n";
    }
  }
  std::cout << "AIME24 gold = last box of solution: " << matched << "/" << boxed_count << " boxed solutions\n";
  EXPECT_GT(boxed_count, 0);
  EXPECT_GE(matched, boxed_count * 9 / 10);
}

// Across all MATH500 golds, equal keys imply equivalence, and distinct
// problems' golds that read differently are rarely called equivalent.
TEST(GoldReference, Math500GoldPairsRespectTheKeyContract) {
  OPTSCALE_REQUIRE_SHARED_DATA(data);
  const nlohmann::json items = load_prompts(data, "math500_test");
  std::vector<std::string> golds, keys;
  for (const auto& item : items) {
    golds.push_back(item.at("answer").get<std::string>());
    keys.push_back(canonical_key(golds.back()));
  }
  int equivalent_different_keys = 0;
  for (std::size_t i = 0; i < golds.size(); ++i) {
    for (std::size_t j = i + 1; j < golds.size(); ++j) {
      if (keys[i] == keys[j]) {
        EXPECT_TRUE(answers_equivalent(golds[i], golds[j])) << "'" << golds[i] << "' and '" << golds[j] << "'";
      } else if (answers_equivalent(golds[i], golds[j])) {
        ++equivalent_different_keys;
        std::cout << "equivalent with different keys: '" << golds[i] << "' and '" << golds[j] << "'\n";
      }
    }
  }
  EXPECT_LE(equivalent_different_keys, 10);
}

}  // namespace
}  // namespace optscale::answers
