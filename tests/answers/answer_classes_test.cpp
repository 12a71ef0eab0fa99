#include "optscale/answers/answer_classes.hpp"

#include <gtest/gtest.h>

#include "optscale/util/error.hpp"

namespace optscale::answers {
namespace {

using Answers = std::vector<std::optional<std::string>>;

TEST(AnswerClasses, NumberByFirstAppearanceAndMergeEquivalentKeys) {
  AnswerClasses classes;
  for (const auto& a : Answers{"1/2", std::nullopt, "3", "0.5", "", "\\frac{1}{2}", "3"}) classes.add(a);
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, -1, 1, 0, -1, 0, 1}));
}

TEST(AnswerClasses, RawGroupingKeepsExactStringsApart) {
  AnswerClasses raw(AnswerGrouping::raw);
  for (const auto& a : Answers{"1/2", "0.5", "1/2", ""}) raw.add(a);
  EXPECT_EQ(raw.classes(), (std::vector<int>{0, 1, 0, 2}));
}

TEST(AnswerClasses, EquivalentSpellingsAreDistinctKeysOfOneClass) {
  // "1/2" and "50\\%" are two keys (the replay grades each once) that vote
  // as one class.
  AnswerClasses classes;
  const int k0 = classes.add(std::string("7"));
  const int k1 = classes.add(std::string("1/2"));
  const int k2 = classes.add(std::string("50\\%"));
  EXPECT_EQ(classes.add(std::string("7")), k0);
  EXPECT_NE(k1, k2);
  EXPECT_EQ(classes.key_count(), 3);
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, 1, 1, 0}));
}

TEST(AnswerClasses, ALaterKeyMergesTwoEarlierClassesAndEveryoneIsRenumbered) {
  // Equivalence is tolerance-based, so not transitive: the two decimals are
  // not equivalent to each other, but \\pi is equivalent to both.
  AnswerClasses classes;
  for (const auto& a : Answers{"3.14159265", "7", "3.1415926535"}) classes.add(a);
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, 1, 2}));
  classes.add(std::string("\\pi"));
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, 1, 0, 0}));
}

TEST(AnswerClasses, SamplesWithoutAKeyReturnMinusOne) {
  AnswerClasses classes;
  EXPECT_EQ(classes.add(std::nullopt), -1);
  EXPECT_EQ(classes.add(std::string("")), -1);
  EXPECT_EQ(classes.key_count(), 0);
}

TEST(AnswerClasses, SayWhenAnAddMergedEarlierClasses) {
  AnswerClasses classes;
  classes.add(std::string("1.414213"));
  EXPECT_FALSE(classes.last_add_merged());
  classes.add(std::string("1.414214"));
  EXPECT_FALSE(classes.last_add_merged());
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, 1}));
  classes.add(std::string("\\sqrt{2}"));  // equivalent to both decimals
  EXPECT_TRUE(classes.last_add_merged());
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, 0, 0}));
  classes.add(std::string("1.414214"));  // joins the merged class: no new merge
  EXPECT_FALSE(classes.last_add_merged());
  EXPECT_EQ(classes.classes(), (std::vector<int>{0, 0, 0, 0}));
}

TEST(AnswerTable, InternsStringsOnceAndKeysEquivalentSpellingsTogether) {
  AnswerTable table;
  EXPECT_EQ(table.intern(std::nullopt), -1);
  const int half = table.intern(std::string("1/2"));
  const int frac = table.intern(std::string("\\frac{1}{2}"));
  EXPECT_EQ(table.intern(std::string("1/2")), half);
  EXPECT_NE(half, frac);
  EXPECT_EQ(table.key(half), table.key(frac));  // one canonical key
  EXPECT_EQ(table.key(table.intern(std::string(""))), -1);
  EXPECT_TRUE(table.equivalent(half, frac));
  const int seven = table.intern(std::string("7"));
  EXPECT_FALSE(table.equivalent(seven, half));
  EXPECT_FALSE(table.equivalent(seven, half));  // the remembered verdict
  EXPECT_EQ(table.size(), 4);
}

TEST(AnswerClasses, ASharedTableNumbersLikeAnOwnOne) {
  const Answers answers{"3.14159265", "7", std::nullopt, "3.1415926535", "\\pi", "7", "", "22/7", "3.14159265"};
  AnswerTable shared;
  for (int round = 0; round < 2; ++round) {  // the second round reuses every verdict
    AnswerClasses own;
    AnswerClasses over_shared(shared);
    for (const auto& a : answers) {
      EXPECT_EQ(own.add(a), over_shared.add_interned(shared.intern(a)));
      EXPECT_EQ(own.classes(), over_shared.classes());
      EXPECT_EQ(own.last_add_merged(), over_shared.last_add_merged());
    }
  }
}

TEST(AnswerGrouping, ParsesAndPrintsBothNamesAndRefusesOthers) {
  for (auto grouping : {AnswerGrouping::equivalent, AnswerGrouping::raw})
    EXPECT_EQ(parse_answer_grouping(to_string(grouping)), grouping);
  try {
    parse_answer_grouping("loose");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'loose'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace optscale::answers
