// Final-answer extraction from a completion or a worked solution (paper-spec §4):
// the last top-level balanced \boxed{...}/\fbox{...}; else GSM8K "#### n"; else a
// conservative "the answer is ..." phrase.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "latex_scan.hpp"
#include "optscale/answers/answers.hpp"

namespace optscale::answers {
namespace {

using detail::is_space;
using detail::kNpos;
using detail::trim;

std::string_view strip_trailing_punctuation(std::string_view s) {
  s = trim(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';')) s = trim(s.substr(0, s.size() - 1));
  return s;
}

// The text after "####" on its line, or nullopt.
std::optional<std::string> number_after_hashes(std::string_view text) {
  const std::size_t at = text.rfind("####");
  if (at == kNpos) return std::nullopt;
  std::string_view rest = text.substr(at + 4);
  const std::size_t eol = rest.find('\n');
  if (eol != kNpos) rest = rest.substr(0, eol);
  rest = strip_trailing_punctuation(rest);
  std::string out;
  out.reserve(rest.size());
  for (char c : rest) {
    if (c == ',' || c == '$') continue;  // thousands separators and currency signs
    out.push_back(c);
  }
  const std::string_view t = trim(out);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

// The phrases the fallback recognises, lower case; the last occurrence of any wins.
constexpr std::array<std::string_view, 5> kAnswerPhrases = {
    "final answer is", "final answer:", "the answer is", "answer is:", "final answer**"};

// Whether a fallback candidate looks like a bare answer rather than prose: short,
// holding a digit, a LaTeX command or a choice letter, and not opening with a word.
bool looks_like_answer(std::string_view candidate) {
  if (candidate.empty() || candidate.size() > 64) return false;
  bool has_math = false;
  for (char c : candidate)
    if (detail::is_digit(c) || c == '\\') has_math = true;
  if (!has_math) {
    // "(B)", "B" and "B)" multiple-choice letters.
    std::string_view s = candidate;
    if (!s.empty() && s.front() == '(') s.remove_prefix(1);
    if (!s.empty() && s.back() == ')') s.remove_suffix(1);
    if (!(s.size() == 1 && s[0] >= 'A' && s[0] <= 'E')) return false;
    return true;
  }
  // Opening word of two or more letters ("not 5", "approximately 3"): prose.
  std::size_t run = 0;
  while (run < candidate.size() && detail::is_letter(candidate[run])) ++run;
  return run < 2;
}

std::optional<std::string> fallback_phrase_answer(std::string_view text) {
  std::size_t best = kNpos, best_len = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = detail::to_lower(text[i]);
    if (c != 'f' && c != 't' && c != 'a') continue;
    for (std::string_view phrase : kAnswerPhrases) {
      if (detail::iequals_prefix(text, i, phrase)) {
        best = i;
        best_len = phrase.size();
        break;
      }
    }
  }
  if (best == kNpos) return std::nullopt;
  std::string_view rest = text.substr(best + best_len);
  std::size_t i = 0;
  while (i < rest.size() && (is_space(rest[i]) || rest[i] == ':' || rest[i] == '*')) ++i;
  rest = rest.substr(i);
  std::string_view candidate;
  auto delimited = [&](std::string_view open, std::string_view close) -> bool {
    if (rest.substr(0, open.size()) != open) return false;
    const std::size_t end = rest.find(close, open.size());
    if (end == kNpos) return false;
    candidate = rest.substr(open.size(), end - open.size());
    return true;
  };
  if (!(delimited("$$", "$$") || delimited("$", "$") || delimited("\\(", "\\)") || delimited("\\[", "\\]"))) {
    std::size_t end = rest.find('\n');
    if (end == kNpos) end = rest.size();
    // A sentence ends at ". " (a decimal point is followed by a digit).
    for (std::size_t k = 0; k + 1 < end; ++k)
      if (rest[k] == '.' && is_space(rest[k + 1])) {
        end = k;
        break;
      }
    candidate = rest.substr(0, end);
  }
  candidate = strip_trailing_punctuation(candidate);
  while (!candidate.empty() && candidate.back() == '*') candidate = trim(candidate.substr(0, candidate.size() - 1));
  if (!looks_like_answer(candidate)) return std::nullopt;
  return std::string(candidate);
}

}  // namespace

namespace {

// For every unescaped '{' in `text`, the index of the '}' that closes it (as
// detail::matching_brace finds it), kNpos when it never closes; other entries
// are unused. One pass with a stack, so finding many boxes costs O(n) in all:
// calling matching_brace per box was quadratic on a completion full of
// unclosed "\boxed{" (a 30 KB one took seconds).
std::vector<std::size_t> closing_braces(std::string_view text) {
  std::vector<std::size_t> close(text.size(), kNpos);
  std::vector<std::size_t> open;
  std::size_t backslashes = 0;  // run of backslashes just before the current character
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool escaped = backslashes % 2 == 1;
    backslashes = c == '\\' ? backslashes + 1 : 0;
    if (escaped) continue;
    if (c == '{') {
      open.push_back(i);
    } else if (c == '}' && !open.empty()) {
      close[open.back()] = i;
      open.pop_back();
    }
  }
  return close;
}

}  // namespace

std::optional<std::string> last_boxed(std::string_view text) {
  std::optional<std::string_view> found;
  std::vector<std::size_t> close_of;  // built at the first box with a brace
  std::size_t i = 0;
  while ((i = text.find('\\', i)) != kNpos) {
    const std::string_view name = detail::command_name(text, i);
    const std::size_t after = i + 1 + name.size();
    if (name != "boxed" && name != "fbox") {
      i = after > i + 1 ? after : i + 1;
      continue;
    }
    const std::size_t j = detail::skip_spaces(text, after);
    if (j < text.size() && text[j] == '{') {
      if (close_of.empty()) close_of = closing_braces(text);
      const std::size_t close = close_of[j];
      if (close == kNpos) {
        // Never closes (e.g. a truncated completion): not an answer; later boxes still count.
        i = j + 1;
        continue;
      }
      const std::string_view content = trim(text.substr(j + 1, close - j - 1));
      if (!content.empty()) found = content;  // "\boxed{}" is the prompt's instruction echoed
      i = close + 1;  // boxes nested inside this one are not top-level
      continue;
    }
    if (name == "boxed" && j > after && j < text.size()) {
      // "\boxed 5": the token up to the next space or '$'.
      std::size_t k = j;
      while (k < text.size() && !is_space(text[k]) && text[k] != '$') ++k;
      const std::string_view token = strip_trailing_punctuation(text.substr(j, k - j));
      if (!token.empty()) found = token;
      i = k;
      continue;
    }
    i = after;
  }
  if (!found) return std::nullopt;
  return std::string(*found);
}

std::optional<std::string> extract_gsm8k_gold(std::string_view solution) { return number_after_hashes(solution); }

std::optional<std::string> extract_answer(std::string_view text) {
  if (auto boxed = last_boxed(text)) return boxed;
  if (auto hashes = number_after_hashes(text)) return hashes;
  return fallback_phrase_answer(text);
}

}  // namespace optscale::answers
