// String-level clean-up of an extracted answer before it is read as
// mathematics: delimiters, spacing and sizing commands, \text units, degrees,
// percent signs, thousands separators (docs/answers.md lists every rule).
#pragma once
#include <string>
#include <string_view>

namespace optscale::answers::detail {

struct NormalizedAnswer {
  std::string text;      // compact LaTeX: spaces kept only between two letters/digits
  bool percent = false;  // a trailing \% (or "percent") was removed
};

NormalizedAnswer normalize_latex(std::string_view answer);

}  // namespace optscale::answers::detail
