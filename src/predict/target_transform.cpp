#include "optscale/predict/target_transform.hpp"

#include <cmath>
#include <sstream>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::predict {

double TargetTransform::forward(double y, const std::string& what) const {
  switch (kind) {
    case Kind::identity:
      return y;
    case Kind::log_gap:
      require(y < 1.0 + offset, what,
              [&] { return "value " + std::to_string(y) + " is outside the domain of transform " + to_string() +
                  " (needs < " + std::to_string(1.0 + offset) + "; use identity)"; });
      return std::log(1.0 + offset - y);
    case Kind::log:
      require(y > -offset, what,
              [&] { return "value " + std::to_string(y) + " is outside the domain of transform " + to_string(); });
      return std::log(y + offset);
  }
  invariant_failed("kind is a Kind", __FILE__, __LINE__, "TargetTransform: unknown kind");
}

double TargetTransform::inverse(double t) const {
  switch (kind) {
    case Kind::identity:
      return t;
    case Kind::log_gap:
      return 1.0 + offset - std::exp(t);
    case Kind::log:
      return std::exp(t) - offset;
  }
  invariant_failed("kind is a Kind", __FILE__, __LINE__, "TargetTransform: unknown kind");
}

std::string TargetTransform::to_string() const {
  if (kind == Kind::identity) return "identity";
  std::ostringstream out;
  out.precision(17);
  out << (kind == Kind::log_gap ? "log-gap:" : "log:") << offset;
  return out.str();
}

TargetTransform TargetTransform::parse(const std::string& spec) {
  if (spec == "identity") return {};
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  require(name == "log-gap" || name == "log", [&] { return "target transform '" + spec + "'"; },
          "expected identity, log-gap:OFFSET or log:OFFSET");
  require(colon != std::string::npos, [&] { return "target transform '" + spec + "'"; }, "missing :OFFSET");
  TargetTransform t;
  t.kind = name == "log-gap" ? Kind::log_gap : Kind::log;
  std::size_t used = 0;
  try {
    t.offset = std::stod(spec.substr(colon + 1), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  require(used > 0 && used == spec.size() - colon - 1 && std::isfinite(t.offset) && t.offset > 0.0,
          [&] { return "target transform '" + spec + "'"; }, "OFFSET must be a finite number > 0");
  return t;
}

TargetTransform TargetTransform::from_json(const nlohmann::json& j) {
  require(j.is_string(), "target transform", "expected a string such as \"log-gap:0.02\"");
  return parse(j.get<std::string>());
}

}  // namespace optscale::predict
