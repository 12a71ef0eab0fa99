// A strict-enough XML well-formedness check for the SVG the project writes
// (tests only): balanced, properly nested elements; quoted attributes with
// unique names; '&' only in the five predefined entities or character
// references; no '<' in text or attribute values; one root element.
#pragma once
#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace optscale::testing {

// Empty when well formed; else what is wrong and where.
inline std::string xml_problem(const std::string& xml, std::string* root_name = nullptr) {
  std::vector<std::string> stack;
  int roots = 0;
  std::size_t i = 0;
  auto at = [&](std::size_t pos) { return " at offset " + std::to_string(pos); };
  auto check_entities = [&](std::size_t from, std::size_t to) -> std::string {
    for (std::size_t k = from; k < to; ++k) {
      if (xml[k] == '<') return "'<' in text or attribute" + at(k);
      if (xml[k] != '&') continue;
      const std::size_t semi = xml.find(';', k);
      if (semi == std::string::npos || semi > to) return "unterminated entity" + at(k);
      const std::string name = xml.substr(k + 1, semi - k - 1);
      static const std::set<std::string> known = {"amp", "lt", "gt", "quot", "apos"};
      const bool numeric = name.size() > 1 && name[0] == '#';
      if (!known.count(name) && !numeric) return "unknown entity &" + name + ";" + at(k);
    }
    return "";
  };
  if (xml.rfind("<?xml", 0) == 0) {
    i = xml.find("?>");
    if (i == std::string::npos) return "unterminated XML declaration";
    i += 2;
  }
  while (i < xml.size()) {
    const std::size_t lt = xml.find('<', i);
    const std::size_t text_end = lt == std::string::npos ? xml.size() : lt;
    if (std::string bad = check_entities(i, text_end); !bad.empty()) return bad;
    if (stack.empty()) {
      for (std::size_t k = i; k < text_end; ++k)
        if (!std::isspace(static_cast<unsigned char>(xml[k]))) return "text outside the root" + at(k);
    }
    if (lt == std::string::npos) break;
    if (xml.compare(lt, 4, "<!--") == 0) {
      const std::size_t end = xml.find("-->", lt);
      if (end == std::string::npos) return "unterminated comment" + at(lt);
      i = end + 3;
      continue;
    }
    const bool closing = lt + 1 < xml.size() && xml[lt + 1] == '/';
    std::size_t k = lt + (closing ? 2 : 1);
    const std::size_t name_start = k;
    while (k < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[k])) || xml[k] == '-' ||
                              xml[k] == ':' || xml[k] == '_' || xml[k] == '.'))
      ++k;
    const std::string name = xml.substr(name_start, k - name_start);
    if (name.empty()) return "element without a name" + at(lt);
    if (closing) {
      while (k < xml.size() && std::isspace(static_cast<unsigned char>(xml[k]))) ++k;
      if (k >= xml.size() || xml[k] != '>') return "malformed end tag </" + name + at(lt);
      if (stack.empty() || stack.back() != name)
        return "end tag </" + name + "> does not match <" + (stack.empty() ? "" : stack.back()) + ">" + at(lt);
      stack.pop_back();
      i = k + 1;
      continue;
    }
    std::set<std::string> attributes;
    for (;;) {
      while (k < xml.size() && std::isspace(static_cast<unsigned char>(xml[k]))) ++k;
      if (k >= xml.size()) return "unterminated tag <" + name + at(lt);
      if (xml[k] == '>' || xml.compare(k, 2, "/>") == 0) break;
      const std::size_t attr_start = k;
      while (k < xml.size() && xml[k] != '=' && !std::isspace(static_cast<unsigned char>(xml[k]))) ++k;
      const std::string attr = xml.substr(attr_start, k - attr_start);
      if (k >= xml.size() || xml[k] != '=') return "attribute " + attr + " without a value" + at(attr_start);
      if (!attributes.insert(attr).second) return "duplicate attribute " + attr + at(attr_start);
      ++k;
      if (k >= xml.size() || (xml[k] != '"' && xml[k] != '\'')) return "unquoted attribute " + attr + at(k);
      const char quote = xml[k];
      const std::size_t value_end = xml.find(quote, k + 1);
      if (value_end == std::string::npos) return "unterminated attribute " + attr + at(k);
      if (std::string bad = check_entities(k + 1, value_end); !bad.empty()) return bad;
      k = value_end + 1;
    }
    const bool self_closing = xml[k] == '/';
    if (stack.empty()) {
      if (++roots > 1) return "second root element <" + name + ">" + at(lt);
      if (root_name) *root_name = name;
    }
    if (!self_closing) stack.push_back(name);
    i = k + (self_closing ? 2 : 1);
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

}  // namespace optscale::testing
