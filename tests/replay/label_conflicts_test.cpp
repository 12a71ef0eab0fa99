// Answer classes whose samples carry both correct and incorrect labels are
// counted and named in eval/tune's warning (graded_problem.hpp).
#include <gtest/gtest.h>

#include "optscale/replay/graded_problem.hpp"

namespace optscale::replay {
namespace {

pool::Sample labelled(const std::string& answer, bool correct) {
  pool::Sample s;
  s.answer = answer;
  s.correct = correct;
  s.score = 0.5;
  s.tokens = 10;
  return s;
}

TEST(LabelConflicts, CountsMixedClassesAndNamesTheFirst) {
  pool::Problem a;
  a.id = "a";
  // "1/2" and "0.5" are one class under equivalence; the labels disagree.
  a.samples = {labelled("1/2", true), labelled("0.5", false), labelled("3", false), labelled("3", false)};
  pool::Problem b;
  b.id = "b";
  b.samples = {labelled("7", true), labelled("7", true), labelled("8", false)};
  LabelConflicts conflicts;
  for (const auto* p : {&a, &b})
    add_label_conflicts(*p, grade_problem(*p, answers::AnswerGrouping::equivalent), conflicts);
  EXPECT_EQ(conflicts.classes, 1);
  EXPECT_EQ(conflicts.problems, 1);
  EXPECT_EQ(conflicts.example, "problem 'a': answer \"1/2\": 1 correct, 1 incorrect");
  const std::string warning = label_conflict_warning(conflicts, answers::AnswerGrouping::equivalent);
  EXPECT_NE(warning.find("1 answer class in 1 problem"), std::string::npos) << warning;
  EXPECT_NE(warning.find("'equivalent'"), std::string::npos) << warning;

  // Under raw grouping the two strings are different classes: no conflict.
  LabelConflicts raw;
  add_label_conflicts(a, grade_problem(a, answers::AnswerGrouping::raw), raw);
  EXPECT_EQ(raw.classes, 0);
  EXPECT_EQ(label_conflict_warning(raw, answers::AnswerGrouping::raw), "");
}

}  // namespace
}  // namespace optscale::replay
