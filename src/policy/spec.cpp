#include "optscale/policy/spec.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "factories.hpp"
#include "optscale/util/error.hpp"
#include "spec_reader.hpp"

namespace optscale::policy {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(separator, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

bool is_identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '_' || c == '-';
  });
}

using Factory = std::unique_ptr<Strategy> (*)(detail::SpecReader&);

struct Entry {
  const char* name;
  Factory make;
};

constexpr Entry kRegistry[] = {
    {"bon", detail::make_bon},
    {"sc", detail::make_sc},
    {"wsc", detail::make_wsc},
    {"esc", detail::make_esc},
    {"asc", detail::make_asc},
    {"dsc", detail::make_dsc},
    {"optscale0", detail::make_optscale0},
    {"optscalet", detail::make_optscalet},
    {"optscale-seq", detail::make_optscale_seq},
    {"hybrid", detail::make_hybrid},
};

}  // namespace

bool StrategySpec::is_sweep() const {
  return std::any_of(params.begin(), params.end(),
                     [](const SpecParam& p) { return p.values.size() > 1; });
}

std::string StrategySpec::to_string() const {
  std::string text = name;
  for (std::size_t i = 0; i < params.size(); ++i) {
    text += (i == 0 ? ":" : ",") + params[i].key + "=";
    for (std::size_t j = 0; j < params[i].values.size(); ++j)
      text += (j == 0 ? "" : "|") + params[i].values[j];
  }
  return text;
}

StrategySpec parse_spec(std::string_view text) {
  const std::string quoted = "strategy spec '" + std::string(text) + "'";
  StrategySpec spec;
  const std::size_t colon = text.find(':');
  spec.name = std::string(trim(text.substr(0, colon)));
  require(is_identifier(spec.name), quoted,
          "expected a strategy name (lower-case letters, digits, '-', '_') before ':'");
  if (colon == std::string_view::npos) return spec;
  const std::string_view body = trim(text.substr(colon + 1));
  if (body.empty()) return spec;
  std::set<std::string> seen;
  for (std::string_view param : split(body, ',')) {
    param = trim(param);
    const std::size_t equals = param.find('=');
    require(equals != std::string_view::npos, quoted,
            [&] { return "parameter '" + std::string(param) + "' is not key=value"; });
    SpecParam parsed;
    parsed.key = std::string(trim(param.substr(0, equals)));
    require(is_identifier(parsed.key), quoted,
            [&] { return "parameter '" + std::string(param) + "' has no valid key"; });
    require(seen.insert(parsed.key).second, quoted, [&] { return "key '" + parsed.key + "' given twice"; });
    for (std::string_view value : split(param.substr(equals + 1), '|')) {
      value = trim(value);
      require(!value.empty(), quoted, [&] { return "key '" + parsed.key + "' has an empty value"; });
      parsed.values.emplace_back(value);
    }
    spec.params.push_back(std::move(parsed));
  }
  return spec;
}

std::vector<StrategySpec> expand_spec(const StrategySpec& spec) {
  std::vector<StrategySpec> out;
  std::vector<std::size_t> digit(spec.params.size(), 0);
  for (;;) {
    StrategySpec one;
    one.name = spec.name;
    for (std::size_t k = 0; k < spec.params.size(); ++k)
      one.params.push_back(SpecParam{spec.params[k].key, {spec.params[k].values[digit[k]]}});
    out.push_back(std::move(one));
    // Odometer: advance the last key, carrying into earlier ones.
    std::size_t k = spec.params.size();
    while (k > 0) {
      --k;
      if (++digit[k] < spec.params[k].values.size()) break;
      digit[k] = 0;
      if (k == 0) return out;
    }
    if (spec.params.empty()) return out;
  }
}

std::unique_ptr<Strategy> make_strategy(const StrategySpec& spec) {
  for (const Entry& entry : kRegistry) {
    if (spec.name != entry.name) continue;
    detail::SpecReader reader(spec);
    auto strategy = entry.make(reader);
    reader.finish();
    return strategy;
  }
  std::string known;
  for (const Entry& entry : kRegistry) known += (known.empty() ? "" : ", ") + std::string(entry.name);
  throw Error("strategy spec '" + spec.to_string() + "': unknown strategy '" + spec.name +
              "' (known: " + known + ")");
}

std::vector<std::unique_ptr<Strategy>> make_strategies(const std::string& spec) {
  std::vector<std::unique_ptr<Strategy>> strategies;
  for (const StrategySpec& one : expand_spec(parse_spec(spec))) strategies.push_back(make_strategy(one));
  return strategies;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const Entry& entry : kRegistry) names.emplace_back(entry.name);
  return names;
}

namespace detail {

int read_budget(SpecReader& reader) { return reader.integer("n", std::nullopt, 1, 100000); }

bool read_none_votes(SpecReader& reader) { return reader.integer("none_votes", 0, 0, 1) == 1; }

}  // namespace detail

}  // namespace optscale::policy
