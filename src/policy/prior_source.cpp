#include "optscale/policy/prior_source.hpp"

namespace optscale::policy {
namespace {

std::string_view key_prefix(PriorSource::Kind kind) {
  return kind == PriorSource::Kind::model ? "predictor=" : "priors=";
}

}  // namespace

std::string PriorSource::key() const { return std::string(key_prefix(kind)) + path; }

bool PriorSource::has_key(std::string_view text) const {
  const std::string_view prefix = key_prefix(kind);
  return text.size() == prefix.size() + path.size() && text.starts_with(prefix) && text.ends_with(path);
}

}  // namespace optscale::policy
