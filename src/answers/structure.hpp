// The shape of a normalised answer: a multiple-choice letter, an expression,
// a tuple or interval, a set (braced, or an unbracketed list, or a ± pair), a
// union of intervals, a matrix, an equation, a word, or an unreadable string
// compared as text.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expression.hpp"

namespace optscale::answers::detail {

struct Answer {
  enum class Kind {
    kEmpty,       // nothing (never equivalent to anything)
    kChoice,      // (A)..(E)
    kExpression,  // expression
    kText,        // a word or words, compared case-insensitively
    kRaw,         // anything else, compared as normalised text
    kTuple,       // (a, b], [a, b], (a, b, c): ordered, brackets matter
    kSet,         // \{a, b\}, "a, b", a \pm b: unordered
    kUnion,       // I \cup J: unordered parts
    kMatrix,      // rows x cols items, row-major
    kEquation,    // items[0] = items[1]
  };
  Kind kind = Kind::kEmpty;
  std::string text;  // normalised text of this part
  char choice = 0;
  char open = 0, close = 0;  // brackets of a tuple
  int rows = 0, cols = 0;    // of a matrix
  bool percent = false;      // top level only: a percent sign was removed
  bool too_deep = false;     // nested past a reading limit, so kept as raw text
  std::optional<Expression> expression;
  std::vector<Answer> items;
};

// Normalises and reads an answer string.
Answer read_answer(std::string_view answer);

}  // namespace optscale::answers::detail
