// Small character-level helpers for scanning LaTeX answer strings, shared by
// extraction, normalisation and parsing. No allocation, no regex (hot path).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace optscale::answers::detail {

inline constexpr std::size_t kNpos = std::string_view::npos;

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_digit(c) || is_letter(c); }
inline char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

inline std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// Name of the control sequence whose backslash is at `i`: the letters after it,
// or the single non-letter character ("\{", "\,"). Empty at the end of input.
inline std::string_view command_name(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  if (j >= s.size()) return {};
  if (!is_letter(s[j])) return s.substr(j, 1);
  std::size_t k = j;
  while (k < s.size() && is_letter(s[k])) ++k;
  return s.substr(j, k - j);
}

// Whether the brace at `i` is escaped ("\{"), i.e. preceded by an odd number of backslashes.
inline bool is_escaped(std::string_view s, std::size_t i) {
  std::size_t n = 0;
  while (i > n && s[i - n - 1] == '\\') ++n;
  return n % 2 == 1;
}

// Index of the '}' closing the '{' at `open`, counting nested unescaped braces;
// kNpos when the group never closes.
inline std::size_t matching_brace(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '{' && c != '}') continue;
    if (is_escaped(s, i)) continue;
    depth += (c == '{') ? 1 : -1;
    if (depth == 0) return i;
  }
  return kNpos;
}

// Bracket depth change of the character at `i` for top-level splitting: (), [],
// {} and \{ \} all nest; "\left"/"\right" are gone after normalisation.
inline int bracket_delta(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == '(' || c == '[' || c == '{') return 1;
  if (c == ')' || c == ']' || c == '}') return -1;
  return 0;
}

inline bool iequals_prefix(std::string_view s, std::size_t at, std::string_view word) {
  if (at + word.size() > s.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (to_lower(s[at + k]) != to_lower(word[k])) return false;
  return true;
}

}  // namespace optscale::answers::detail
