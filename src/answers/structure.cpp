// Reading the shape of a normalised answer (structure.hpp).
#include "structure.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "latex_scan.hpp"
#include "normalize.hpp"

namespace optscale::answers::detail {
namespace {

using Kind = Answer::Kind;

// Structures nest (sets of tuples, matrices of sets...) at most this deep;
// deeper input is read as raw text rather than recursing without bound.
constexpr int kMaxDepth = 16;

// Splits `s` at depth 0 of (), [], {} and \{ \} on `separator`: a character
// (",", "&") or a command ("\\cup", "\\\\" for matrix rows).
std::vector<std::string_view> split_top(std::string_view s, std::string_view separator) {
  const bool command = separator.size() > 1 && separator[0] == '\\';
  const std::string_view separator_name = command ? separator.substr(1) : std::string_view{};
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\\') {
      const std::string_view name = command_name(s, i);
      const std::size_t width = 1 + (name.empty() ? 0 : name.size());
      if (command && depth == 0 && name == separator_name) {
        parts.push_back(s.substr(start, i - start));
        start = i + width;
      } else if (name == "{") {
        ++depth;
      } else if (name == "}") {
        --depth;
      }
      i += width;
      continue;
    }
    depth += bracket_delta(s, i);
    if (!command && depth == 0 && c == separator[0]) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
    ++i;
  }
  parts.push_back(s.substr(start));
  return parts;
}

// Index of the last character of the bracket group opening `s` ("(", "[",
// "\{"); kNpos if `s` does not open one or it never closes.
std::size_t opening_group_end(std::string_view s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\\') {
      const std::string_view name = command_name(s, i);
      if (name == "{") ++depth;
      if (name == "}") --depth;
      i += 1 + (name.empty() ? 0 : name.size());
      if (depth == 0) return (name == "}") ? i - 1 : kNpos;
      continue;
    }
    depth += bracket_delta(s, i);
    if (depth == 0) return i;
    ++i;
  }
  return kNpos;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::optional<char> choice_letter(std::string_view s) {
  auto is_choice = [](char c) { return c >= 'A' && c <= 'E'; };
  if (s.size() == 1 && is_choice(s[0])) return s[0];
  if (s.size() == 2 && is_choice(s[0]) && s[1] == ')') return s[0];
  if (s.size() >= 3 && s[0] == '(' && is_choice(s[1]) && s[2] == ')') return s[1];  // "(B)", "(B) 12"
  return std::nullopt;
}

// x, x_1, a_{n}, \theta
std::size_t identifier_length(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  std::size_t j = i;
  if (is_letter(s[j])) {
    ++j;
  } else if (s[j] == '\\') {
    const std::string_view name = command_name(s, j);
    if (!is_greek_letter(name)) return 0;
    j += 1 + name.size();
  } else {
    return 0;
  }
  if (j < s.size() && s[j] == '_') {
    ++j;
    if (j < s.size() && s[j] == '{') {
      const std::size_t close = matching_brace(s, j);
      if (close == kNpos) return 0;
      j = close + 1;
    } else if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
    } else if (j < s.size() && is_letter(s[j])) {
      ++j;
    } else {
      return 0;
    }
  }
  return j - i;
}

// "(x, y)" style identifier list starting at the '(' at `i`; its length or 0.
std::size_t identifier_list_length(std::string_view s, std::size_t i) {
  if (i >= s.size() || s[i] != '(') return 0;
  std::size_t j = i + 1;
  while (true) {
    const std::size_t len = identifier_length(s, j);
    if (len == 0) return 0;
    j += len;
    if (j < s.size() && s[j] == ',') {
      ++j;
      continue;
    }
    if (j < s.size() && s[j] == ')') return j + 1 - i;
    return 0;
  }
}

// Left-hand sides that only name what the answer is: x, y_1, f(x), (x, y), \theta.
bool is_variable_like(std::string_view lhs) {
  if (lhs.empty()) return false;
  if (lhs[0] == '(') return identifier_list_length(lhs, 0) == lhs.size();
  const std::size_t id = identifier_length(lhs, 0);
  if (id == 0) return false;
  if (id == lhs.size()) return true;
  return identifier_list_length(lhs, id) == lhs.size() - id;
}

// Depth-0 positions of '=' and of "\in"; `width` gets the separator's length.
std::vector<std::pair<std::size_t, std::size_t>> relation_positions(std::string_view s) {
  std::vector<std::pair<std::size_t, std::size_t>> found;
  int depth = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\\') {
      const std::string_view name = command_name(s, i);
      if (name == "{") ++depth;
      if (name == "}") --depth;
      if (depth == 0 && name == "in") found.emplace_back(i, 3);
      i += 1 + (name.empty() ? 0 : name.size());
      continue;
    }
    depth += bracket_delta(s, i);
    if (depth == 0 && s[i] == '=') found.emplace_back(i, 1);
    ++i;
  }
  return found;
}

// "x = 5" -> "5", "f(x) = x^2" -> "x^2", "x \in [1, 2]" -> "[1, 2]".
std::string_view strip_variable_prefix(std::string_view s) {
  const auto relations = relation_positions(s);
  if (relations.size() != 1) return s;
  const auto [at, width] = relations[0];
  if (!is_variable_like(trim(s.substr(0, at)))) return s;
  return trim(s.substr(at + width));
}

// Occurrences of \pm / \mp at any depth (\frac{-1 \pm \sqrt5}{2} counts).
std::vector<std::pair<std::size_t, std::size_t>> plus_minus_positions(std::string_view s) {
  std::vector<std::pair<std::size_t, std::size_t>> found;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '\\') {
      ++i;
      continue;
    }
    const std::string_view name = command_name(s, i);
    if (name == "pm" || name == "mp") found.emplace_back(i, 3);
    i += 1 + (name.empty() ? 0 : name.size());
  }
  return found;
}

bool is_words(std::string_view s) {
  bool letter = false;
  for (char c : s) {
    if (is_letter(c)) {
      letter = true;
    } else if (c != ' ') {
      return false;
    }
  }
  return letter;
}

Answer make(Kind kind, std::string_view text) {
  Answer a;
  a.kind = kind;
  a.text = std::string(text);
  return a;
}

Answer read_part(std::string_view s, bool top, int depth);

// Text nested past a reading limit: compared as text, and flagged so that a
// caller can say why (answer_depth_note).
Answer too_deep(std::string_view text) {
  Answer a = make(Kind::kRaw, text);
  a.too_deep = true;
  return a;
}

bool any_too_deep(const Answer& a) {
  if (a.too_deep) return true;
  for (const Answer& item : a.items)  // items nest at most kMaxDepth deep
    if (any_too_deep(item)) return true;
  return false;
}

// One element: prefix stripped, ± expanded into a two-element set, an
// equation, an expression, words or raw text.
Answer read_item(std::string_view s, int depth) {
  s = trim(s);
  if (s.empty()) return make(Kind::kEmpty, s);
  if (depth > kMaxDepth) return too_deep(s);
  const std::string_view stripped = strip_variable_prefix(s);
  if (stripped.size() != s.size()) return read_part(stripped, false, depth + 1);

  const auto pm = plus_minus_positions(s);
  if (pm.size() == 1) {
    Answer set = make(Kind::kSet, s);
    for (const char sign : {'+', '-'}) {
      std::string branch(s);
      branch.replace(pm[0].first, pm[0].second, 1, sign);
      set.items.push_back(read_item(branch, depth + 1));
    }
    return set;
  }
  if (pm.size() > 1) return make(Kind::kRaw, s);

  const auto relations = relation_positions(s);
  if (!relations.empty()) {
    if (relations.size() != 1 || relations[0].second != 1) return make(Kind::kRaw, s);
    Answer eq = make(Kind::kEquation, s);
    eq.items.push_back(read_item(s.substr(0, relations[0].first), depth + 1));
    eq.items.push_back(read_item(s.substr(relations[0].first + 1), depth + 1));
    for (const Answer& side : eq.items)
      if (side.kind != Kind::kExpression) return make(Kind::kRaw, s);
    return eq;
  }

  bool expression_too_deep = false;
  if (auto e = Expression::parse(s, &expression_too_deep)) {
    Answer a = make(Kind::kExpression, s);
    a.expression = std::move(e);
    return a;
  }
  if (expression_too_deep) return too_deep(s);
  if (is_words(s)) {
    std::string lowered(s);
    for (char& c : lowered) c = to_lower(c);
    return make(Kind::kText, lowered);
  }
  return make(Kind::kRaw, s);
}

// Elements of a set or list; a ± element contributes both of its values.
std::vector<Answer> read_elements(std::string_view inner, int depth) {
  std::vector<Answer> items;
  for (std::string_view part : split_top(inner, ",")) {
    Answer item = read_item(part, depth + 1);
    if (item.kind == Kind::kSet && !starts_with(trim(part), "\\{")) {
      for (Answer& sub : item.items) items.push_back(std::move(sub));
    } else {
      items.push_back(std::move(item));
    }
  }
  return items;
}

constexpr std::array<std::string_view, 9> kMatrixEnvironments = {
    "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "matrix", "smallmatrix", "array", "psmallmatrix"};

std::optional<Answer> read_matrix(std::string_view s, int depth) {
  if (!starts_with(s, "\\begin{")) return std::nullopt;
  const std::size_t name_end = s.find('}');
  if (name_end == kNpos) return std::nullopt;
  const std::string_view env = s.substr(7, name_end - 7);
  bool known = false;
  for (std::string_view m : kMatrixEnvironments) known = known || m == env;
  const std::string end_marker = "\\end{" + std::string(env) + "}";
  if (!known || !ends_with(s, end_marker)) return std::nullopt;
  std::string_view body = trim(s.substr(name_end + 1, s.size() - end_marker.size() - name_end - 1));
  if (env == "array" && !body.empty() && body[0] == '{') {  // column specification
    const std::size_t close = matching_brace(body, 0);
    if (close == kNpos) return std::nullopt;
    body = trim(body.substr(close + 1));
  }
  Answer m = make(Kind::kMatrix, s);
  std::vector<std::string_view> rows = split_top(body, "\\\\");
  while (!rows.empty() && trim(rows.back()).empty()) rows.pop_back();
  for (std::string_view row : rows) {
    const std::vector<std::string_view> cells = split_top(row, "&");
    if (m.rows == 0) m.cols = static_cast<int>(cells.size());
    if (static_cast<int>(cells.size()) != m.cols) return make(Kind::kRaw, s);
    for (std::string_view cell : cells) m.items.push_back(read_item(cell, depth + 1));
    ++m.rows;
  }
  if (m.rows == 0) return make(Kind::kRaw, s);
  return m;
}

Answer read_part(std::string_view s, bool top, int depth) {
  s = trim(s);
  if (s.empty()) return make(Kind::kEmpty, s);
  if (depth > kMaxDepth) return too_deep(s);
  if (top)
    if (auto letter = choice_letter(s)) {
      Answer a = make(Kind::kChoice, s);
      a.choice = *letter;
      return a;
    }
  if (auto matrix = read_matrix(s, depth)) return *matrix;
  if (s == "\\emptyset" || s == "\\{\\}") return make(Kind::kSet, s);

  const std::vector<std::string_view> union_parts = split_top(s, "\\cup");
  if (union_parts.size() >= 2) {
    Answer u = make(Kind::kUnion, s);
    for (std::string_view part : union_parts) {
      Answer p = read_part(part, false, depth + 1);
      if (p.kind != Kind::kTuple && p.kind != Kind::kSet) return make(Kind::kRaw, s);
      u.items.push_back(std::move(p));
    }
    return u;
  }

  const std::size_t group_end = opening_group_end(s);
  if (group_end == s.size() - 1) {
    if (starts_with(s, "\\{")) {
      Answer set = make(Kind::kSet, s);
      set.items = read_elements(s.substr(2, s.size() - 4), depth);
      return set;
    }
    if ((s[0] == '(' || s[0] == '[') && (s.back() == ')' || s.back() == ']')) {
      const std::string_view inner = s.substr(1, s.size() - 2);
      const std::vector<std::string_view> parts = split_top(inner, ",");
      if (parts.size() >= 2) {
        Answer t = make(Kind::kTuple, s);
        t.open = s[0];
        t.close = s.back();
        for (std::string_view part : parts) t.items.push_back(read_part(part, false, depth + 1));
        return t;
      }
      // "(2k+2)": parentheses around the whole answer are only grouping.
      if (s[0] == '(' && s.back() == ')' && !trim(inner).empty()) return read_part(inner, top, depth + 1);
    }
  }

  if (split_top(s, ",").size() >= 2) {
    Answer list = make(Kind::kSet, s);
    list.items = read_elements(s, depth);
    return list;
  }
  return read_item(s, depth);
}

}  // namespace

Answer read_answer(std::string_view answer) {
  NormalizedAnswer normalized = normalize_latex(answer);
  Answer a = read_part(normalized.text, true, 0);
  a.percent = normalized.percent;
  a.too_deep = any_too_deep(a);
  return a;
}

}  // namespace optscale::answers::detail
