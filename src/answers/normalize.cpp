// The clean-up passes of normalize.hpp, applied in order. Each pass is a
// single scan over a short string; no regex.
#include "normalize.hpp"

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "latex_scan.hpp"

namespace optscale::answers::detail {
namespace {

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

// Common non-ASCII spellings of ASCII LaTeX.
std::string replace_unicode(std::string_view s) {
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  if (ascii) return std::string(s);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kMap = {{
      {"\u2212", "-"}, {"\u2013", "-"}, {"\u00d7", "\\times "}, {"\u00b7", "\\cdot "},
      {"\u22c5", "\\cdot "}, {"\u00f7", "\\div "}, {"\u03c0", "\\pi "}, {"\u221a", "\\sqrt"},
      {"\u00b0", "^\\circ "}, {"\u221e", "\\infty "}, {"\u00a0", " "}, {"\u222a", "\\cup "},
      {"\u2205", "\\emptyset "}, {"\u00b1", "\\pm "},
  }};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (static_cast<unsigned char>(s[i]) >= 0x80) {
      for (const auto& [from, to] : kMap) {
        if (s.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

// Command-level rewrite: drops math delimiters ($, \( \), \[ \]), sizing
// (\left, \right, \big...), spacing (\!, \,, \quad, ~), style (\displaystyle),
// currency (\$); maps \dfrac/\tfrac -> \frac, \dbinom -> \binom, \lvert -> |,
// \lbrace -> \{, \varnothing -> \emptyset, \% -> %. `grouping_marks` records
// \! \, or {,} (typeset thousands separators).
std::string rewrite_commands(std::string_view s, bool& grouping_marks) {
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '$') {
      ++i;
      continue;
    }
    if (c == '~' || is_space(c)) {
      out += ' ';
      ++i;
      continue;
    }
    if (c == '{' && s.substr(i, 3) == "{,}") {
      out += ',';
      grouping_marks = true;
      i += 3;
      continue;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    const std::string_view name = command_name(s, i);
    std::size_t next = i + 1 + name.size();
    if (name.empty()) {  // a lone trailing backslash
      ++i;
      continue;
    }
    if (one_of(name, {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
                      "biggr", "Biggl", "Biggr", "middle"})) {
      if (next < s.size() && s[next] == '.') ++next;  // \left. and \right. are invisible
    } else if (name == "!") {
      grouping_marks = true;
    } else if (name == ",") {
      grouping_marks = true;
      out += ' ';
    } else if (one_of(name, {":", ";", " ", "quad", "qquad", "enspace", "thinspace", "medspace", "thickspace",
                             "negthinspace", "negmedspace", "negthickspace"})) {
      out += ' ';
    } else if (one_of(name, {"displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "$", "(", ")", "[",
                             "]", "degree"})) {
      // dropped
    } else if (one_of(name, {"hspace", "vspace", "phantom", "hphantom", "vphantom"})) {
      next = skip_spaces(s, next);
      if (next < s.size() && s[next] == '{') {
        const std::size_t close = matching_brace(s, next);
        next = close == kNpos ? s.size() : close + 1;
      }
    } else if (one_of(name, {"dfrac", "tfrac", "cfrac"})) {
      out += "\\frac";
    } else if (one_of(name, {"dbinom", "tbinom"})) {
      out += "\\binom";
    } else if (one_of(name, {"lvert", "rvert", "vert", "lVert", "rVert", "Vert"})) {
      out += '|';
    } else if (name == "lbrace") {
      out += "\\{";
    } else if (name == "rbrace") {
      out += "\\}";
    } else if (name == "varnothing") {
      out += "\\emptyset";
    } else if (name == "%") {
      out += '%';
    } else {
      out.append(s.substr(i, next - i));
    }
    i = next;
  }
  return out;
}

// "\boxed{X}" or "\fbox{X}" covering the whole string -> X (repeatedly).
std::string unwrap_whole_box(std::string s) {
  for (int level = 0; level < 8; ++level) {  // bounded: hostile nesting stays quadratic-free
    const std::string_view t = trim(s);
    if (t.empty() || t[0] != '\\') return s;
    const std::string_view name = command_name(t, 0);
    if (name != "boxed" && name != "fbox") return s;
    const std::size_t open = skip_spaces(t, 1 + name.size());
    if (open >= t.size() || t[open] != '{') return s;
    const std::size_t close = matching_brace(t, open);
    if (close != t.size() - 1) return s;
    s = std::string(t.substr(open + 1, close - open - 1));
  }
  return s;
}

// Degree marks: "^\circ", "^{\circ}", "^{ \circ }"; a bare "\circ" after a
// number. Composition "f \circ g" stays.
std::string remove_degrees(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\\' && command_name(s, i) == "circ") {
      std::size_t end = i + 5;
      // Walk back over "^" or "^{" (with spaces) already copied to out.
      std::size_t k = out.size();
      while (k > 0 && out[k - 1] == ' ') --k;
      bool braced = false;
      if (k > 0 && out[k - 1] == '{') {
        std::size_t k2 = k - 1;
        while (k2 > 0 && out[k2 - 1] == ' ') --k2;
        if (k2 > 0 && out[k2 - 1] == '^') {
          braced = true;
          k = k2;
        }
      }
      if (k > 0 && out[k - 1] == '^') {
        if (braced) {
          const std::size_t close = skip_spaces(s, end);
          if (close < s.size() && s[close] == '}') {
            out.resize(k - 1);
            i = close + 1;
            continue;
          }
        } else {
          out.resize(k - 1);
          i = end;
          continue;
        }
      }
      if (k > 0 && (is_digit(out[k - 1]) || out[k - 1] == '}' || out[k - 1] == ')')) {
        out.resize(k);
        i = end;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

constexpr std::array<std::string_view, 17> kTextCommands = {
    "text",   "textbf", "textit", "textrm", "textsf", "texttt",  "textnormal",   "textup", "mbox",
    "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "emph",    "operatorname", "hbox"};

bool is_text_command(std::string_view name) {
  for (std::string_view t : kTextCommands)
    if (t == name) return true;
  return false;
}

// If `s` is exactly one \text-like group, its content.
bool unwrap_whole_text(std::string& s) {
  const std::string_view t = trim(s);
  if (t.empty() || t[0] != '\\') return false;
  const std::string_view name = command_name(t, 0);
  if (!is_text_command(name)) return false;
  const std::size_t open = skip_spaces(t, 1 + name.size());
  if (open >= t.size() || t[open] != '{') return false;
  const std::size_t close = matching_brace(t, open);
  if (close != t.size() - 1) return false;
  s = std::string(t.substr(open + 1, close - open - 1));
  return true;
}

// A \text{} content that names a unit: letters (and spaces, '.', '/', '-')
// only. In text mode (\text, \mbox, \textrm...) any such content is a unit
// ("12\,\text{m}"); in math mode (\mathrm, \mathbf) one letter is a symbol
// (\mathrm{e}, \mathbf{v}) unless set apart by a leading space.
bool is_unit_text(std::string_view raw_content, bool text_mode) {
  const std::string_view content = trim(raw_content);
  if (content.empty()) return false;
  int letters = 0;
  for (char c : content) {
    if (is_letter(c)) {
      ++letters;
    } else if (!(c == ' ' || c == '.' || c == '/' || c == '-')) {
      return false;
    }
  }
  if (letters >= 2 || (letters == 1 && text_mode)) return true;
  return letters == 1 && !raw_content.empty() && is_space(raw_content[0]);
}

// Skips "^2", "^3", "^{2}", "^{3}" after a unit at `i`.
std::size_t skip_unit_power(std::string_view s, std::size_t i) {
  const std::size_t j = skip_spaces(s, i);
  if (j >= s.size() || s[j] != '^') return i;
  const std::string_view rest = s.substr(j + 1);
  if (!rest.empty() && (rest[0] == '2' || rest[0] == '3')) return j + 2;
  if (rest.size() >= 3 && rest[0] == '{' && (rest[1] == '2' || rest[1] == '3') && rest[2] == '}') return j + 4;
  return i;
}

// \text{...}-like groups: " or "/" and " become list commas; units after
// something are dropped (with their ^2/^3, and "percent" sets the flag);
// any other content is kept without the command.
std::string resolve_text_groups(const std::string& s, bool& percent) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '\\') {
      out += s[i++];
      continue;
    }
    const std::string_view name = command_name(s, i);
    const std::size_t open = skip_spaces(s, i + 1 + name.size());
    if (!is_text_command(name) || open >= s.size() || s[open] != '{') {
      out.append(s, i, 1 + name.size());
      i += 1 + name.size();
      continue;
    }
    const std::size_t close = matching_brace(s, open);
    if (close == kNpos) {
      out.append(s, i, s.size() - i);
      break;
    }
    const std::string_view raw = std::string_view(s).substr(open + 1, close - open - 1);
    const std::string content_lower = lower(trim(raw));
    const bool something_before = !trim(out).empty();
    std::size_t next = close + 1;
    if (content_lower == "or" || content_lower == "and") {
      out += ',';
    } else if (something_before && (content_lower == "%" || content_lower == "percent")) {
      percent = true;
    } else if (something_before && is_unit_text(raw, name.substr(0, 4) != "math")) {
      next = skip_unit_power(s, next);
    } else {
      if (!out.empty() && is_letter(out.back()) && !raw.empty() && is_letter(raw.front())) out += ' ';
      out += raw;
    }
    i = next;
  }
  return out;
}

// Unit words written without \text at the end of an answer ("5 cm",
// "12 square units", "3 dollars"). Single letters are never units here: they are variables.
constexpr std::array<std::string_view, 78> kUnitWords = {
    "cm", "mm", "km", "meter", "meters", "metre", "metres", "centimeter", "centimeters", "millimeter",
    "millimeters", "kilometer", "kilometers", "inch", "inches", "foot", "feet", "ft", "yard", "yards", "yd",
    "mile", "miles", "unit", "units", "square", "sq", "cubic", "degree", "degrees", "deg", "radian", "radians",
    "dollar", "dollars", "cent", "cents", "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins",
    "second", "seconds", "sec", "secs", "day", "days", "week", "weeks", "month", "months", "year", "years",
    "mph", "kg", "gram", "grams", "pound", "pounds", "lb", "lbs", "ounce", "ounces", "oz", "liter", "liters",
    "litre", "litres", "ml", "gallon", "gallons", "people", "students", "ways"};

bool is_unit_word(std::string_view w) {
  const std::string l = lower(w);
  for (std::string_view u : kUnitWords)
    if (u == l) return true;
  return false;
}

std::string strip_unit_words(std::string s, bool& percent) {
  while (true) {
    const std::string_view t = trim(s);
    const std::size_t space = t.rfind(' ');
    if (space == kNpos) return std::string(t);
    std::string_view word = t.substr(space + 1);
    const std::string_view before = trim(t.substr(0, space));
    // "cm^2", "units^2"
    if (word.size() > 2 && word[word.size() - 2] == '^' && (word.back() == '2' || word.back() == '3'))
      word = word.substr(0, word.size() - 2);
    if (before.empty()) return std::string(t);
    if (lower(word) == "percent") {
      percent = true;
    } else if (!is_unit_word(word)) {
      return std::string(t);
    }
    s = std::string(before);
  }
}

// "12,345", "-1,000,000.5"; with typeset separators (\! \, {,}) also
// "11, 111, 111, 100" and "1 000". Only a whole-answer number is regrouped, so
// lists ("1, 2") and points ("(1,234)") are untouched.
bool collapse_digit_grouping(std::string& s, bool lenient) {
  const std::string_view t = trim(s);
  const std::size_t n = t.size();
  std::string out;
  std::size_t i = 0;
  if (i < n && (t[i] == '-' || t[i] == '+')) out += t[i++];
  std::size_t lead = 0;
  while (i < n && is_digit(t[i])) {
    out += t[i++];
    ++lead;
  }
  if (lead == 0 || lead > 3) return false;
  int groups = 0;
  while (i < n) {
    std::size_t j = i;
    bool separator = false;
    if (t[j] == ',') {
      ++j;
      separator = true;
      if (lenient)
        while (j < n && t[j] == ' ') ++j;
    } else if (lenient && t[j] == ' ') {
      while (j < n && t[j] == ' ') ++j;
      separator = true;
    }
    if (!separator) break;
    std::size_t k = j;
    while (k < n && is_digit(t[k])) ++k;
    if (k - j != 3) return false;
    out.append(t.substr(j, 3));
    i = k;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < n && t[i] == '.') {
    out += t[i++];
    std::size_t decimals = 0;
    while (i < n && is_digit(t[i])) {
      out += t[i++];
      ++decimals;
    }
    if (decimals == 0) return false;
  }
  if (i != n) return false;
  s = std::move(out);
  return true;
}

// "_{5}" -> "_5", "^{2}" -> "^2", "^{10}" -> "^10": braces around a single
// character or a digit run add nothing (the parser reads digit runs whole).
std::string simplify_script_braces(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if ((s[i] != '_' && s[i] != '^') || i + 1 >= s.size() || s[i + 1] != '{') continue;
    // Only a digit run or one letter qualifies, so look no further than that
    // for the closing brace: matching_brace per script was quadratic on
    // 2^{2^{2^{...}}} nested thousands deep.
    std::size_t close = i + 2;
    while (close < s.size() && is_digit(s[close])) ++close;
    if (close == i + 2 && close < s.size() && is_alnum(s[close])) ++close;
    if (close == i + 2 || close >= s.size() || s[close] != '}') continue;
    out.append(s, i + 2, close - i - 2);
    i = close;
  }
  return out;
}

// Bare " or " / " and " between parts of an answer are list separators.
std::string words_to_commas(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t word = 0;
    if (s[i] == ' ' && i > 0)
      for (std::string_view w : {std::string_view(" or "), std::string_view(" and ")})
        if (s.compare(i, w.size(), w) == 0 && i + w.size() < s.size()) word = w.size();
    if (word > 0) {
      out += ',';
      i += word;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// Keeps a space only between two letters/digits ("\cot x", "2 3"); drops it elsewhere.
std::string compact_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_space(s[i])) {
      out += s[i];
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && is_space(s[j])) ++j;
    if (!out.empty() && j < s.size() && is_alnum(out.back()) && is_alnum(s[j])) out += ' ';
    i = j - 1;
  }
  return out;
}

// Leading "=", "\approx"; trailing '.', ',', ';'.
std::string strip_edges(std::string s) {
  while (true) {
    std::string_view t = trim(s);
    bool changed = false;
    if (!t.empty() && t.front() == '=') {
      t.remove_prefix(1);
      changed = true;
    } else if (t.substr(0, 7) == "\\approx") {
      t.remove_prefix(7);
      changed = true;
    }
    while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == ';')) {
      if (t.size() >= 2 && t[t.size() - 2] == '\\') break;  // "\," "\;" are commands
      t.remove_suffix(1);
      changed = true;
    }
    s = std::string(trim(t));
    if (!changed) return s;
  }
}

}  // namespace

NormalizedAnswer normalize_latex(std::string_view answer) {
  NormalizedAnswer result;
  bool grouping_marks = false;
  std::string s = rewrite_commands(replace_unicode(answer), grouping_marks);
  s = unwrap_whole_box(std::move(s));
  for (int k = 0; k < 4 && unwrap_whole_text(s); ++k) s = unwrap_whole_box(std::move(s));
  s = remove_degrees(s);
  s = strip_edges(std::move(s));
  if (!s.empty() && s.back() == '%') {
    result.percent = true;
    s.pop_back();
  }
  s = resolve_text_groups(s, result.percent);
  s = strip_unit_words(strip_edges(std::move(s)), result.percent);
  if (!s.empty() && s.back() == '%') {
    result.percent = true;
    s.pop_back();
  }
  s = strip_edges(std::move(s));
  collapse_digit_grouping(s, grouping_marks);
  s = words_to_commas(s);
  s = simplify_script_braces(s);
  result.text = compact_spaces(trim(s));
  return result;
}

}  // namespace optscale::answers::detail
