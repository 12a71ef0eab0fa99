// The scale a regression target is fitted on. Mean scores pile up just below
// 1 with a long tail towards 0, so mu is fitted as log(1 + c - mu) (the
// "gap" to a perfect score, log-compressed); predictions are mapped back.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace optscale::predict {

struct TargetTransform {
  enum class Kind {
    identity,  // t = y
    log_gap,   // t = log(1 + offset - y), needs y < 1 + offset
    log,       // t = log(y + offset), needs y > -offset
  };
  Kind kind = Kind::identity;
  double offset = 0.0;  // > 0 for the log kinds

  // Throws optscale::Error naming `what` when y is outside the domain.
  double forward(double y, const std::string& what = "target") const;
  double inverse(double t) const;

  // "identity", "log-gap:0.02", "log:0.01"
  std::string to_string() const;
  static TargetTransform parse(const std::string& spec);
  nlohmann::json to_json() const { return to_string(); }
  static TargetTransform from_json(const nlohmann::json& j);
};

}  // namespace optscale::predict
