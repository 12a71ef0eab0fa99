#include "optscale/mock/mock_faults.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "optscale/util/error.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::mock {
namespace {

// Uniform in (0, 1) from 53 random bits.
double open_unit(std::uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

std::vector<double> parse_numbers(std::string_view text, std::string_view spec) {
  std::vector<double> numbers;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    double value = 0.0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size() || !std::isfinite(value) || value < 0)
      throw Error("--latency '" + std::string(spec) + "': '" + std::string(part) +
                  "' is not a non-negative number");
    numbers.push_back(value);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return numbers;
}

}  // namespace

LatencyModel LatencyModel::parse(std::string_view spec) {
  LatencyModel model;
  if (spec.empty() || spec == "0" || spec == "none") return model;
  auto colon = spec.find(':');
  if (colon == std::string_view::npos)
    throw Error("--latency '" + std::string(spec) +
                "': expected fixed:MS, uniform:LO,HI, exponential:MEAN or lognormal:MEDIAN,SIGMA");
  std::string_view kind = spec.substr(0, colon);
  auto numbers = parse_numbers(spec.substr(colon + 1), spec);
  auto expect = [&](std::size_t count) {
    if (numbers.size() != count)
      throw Error("--latency '" + std::string(spec) + "': " + std::string(kind) + " takes " +
                  std::to_string(count) + " number(s)");
  };
  if (kind == "fixed") {
    expect(1);
    model.kind = Kind::fixed;
  } else if (kind == "uniform") {
    expect(2);
    if (numbers[1] < numbers[0])
      throw Error("--latency '" + std::string(spec) + "': uniform needs LO <= HI");
    model.kind = Kind::uniform;
  } else if (kind == "exponential") {
    expect(1);
    model.kind = Kind::exponential;
  } else if (kind == "lognormal") {
    expect(2);
    model.kind = Kind::lognormal;
  } else {
    throw Error("--latency '" + std::string(spec) + "': unknown distribution '" +
                std::string(kind) + "'");
  }
  model.a = numbers[0];
  model.b = numbers.size() > 1 ? numbers[1] : 0.0;
  return model;
}

double LatencyModel::sample_ms(double u1, double u2) const {
  switch (kind) {
    case Kind::none: return 0.0;
    case Kind::fixed: return a;
    case Kind::uniform: return a + (b - a) * u1;
    case Kind::exponential: return -a * std::log(u1);
    case Kind::lognormal: {
      // Box-Muller for one standard normal.
      double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
      return a * std::exp(b * z);
    }
  }
  return 0.0;
}

void FaultOptions::validate() const {
  auto rate = [](double value, const char* name) {
    if (!(value >= 0.0 && value <= 1.0))
      throw Error(std::string("--") + name + " must be in [0, 1], got " + std::to_string(value));
  };
  rate(error_rate, "error-rate");
  rate(hang_rate, "hang-rate");
  rate(malformed_rate, "malformed-rate");
  rate(drop_rate, "drop-rate");
  rate(burst_rate, "burst-rate");
  if (error_rate + hang_rate + malformed_rate + drop_rate + burst_rate > 1.0)
    throw Error("the fault rates add up to more than 1");
  if (burst_length < 1) throw Error("--burst-length must be at least 1");
  if (!(hang_ms >= 0.0) || !(retry_after_s >= 0.0))
    throw Error("--hang-ms and --retry-after must be non-negative");
}

bool FaultOptions::any() const {
  return latency.kind != LatencyModel::Kind::none || error_rate > 0 || hang_rate > 0 ||
         malformed_rate > 0 || drop_rate > 0 || burst_rate > 0;
}

FaultInjector::FaultInjector(FaultOptions options) : options_(options) { options_.validate(); }

FaultDecision FaultInjector::decide(std::string_view request_key) {
  FaultDecision decision;
  if (!options_.any()) return decision;
  const std::uint64_t key = util::fnv1a64(request_key);
  std::uint32_t attempt = 0;
  bool in_burst = false;
  {
    std::lock_guard lock(mutex_);
    attempt = attempts_[key]++;
    if (burst_remaining_ > 0) {
      --burst_remaining_;
      in_burst = true;
    }
  }
  // SplitMix64 applied to its own output: a tiny counter-based generator, enough for fault draws.
  std::uint64_t state = util::splitmix64(options_.seed ^ util::splitmix64(key) ^ (std::uint64_t{attempt} << 32));
  auto next = [&] { return open_unit(state = util::splitmix64(state)); };
  const double u_latency1 = next(), u_latency2 = next(), u_fault = next(), u_status = next();
  decision.latency_ms = options_.latency.sample_ms(u_latency1, u_latency2);
  if (in_burst) {
    decision.kind = FaultKind::rate_limited;
    decision.status = 429;
    return decision;
  }
  double edge = options_.burst_rate;
  if (u_fault < edge) {
    decision.kind = FaultKind::rate_limited;
    decision.status = 429;
    std::lock_guard lock(mutex_);
    burst_remaining_ = options_.burst_length - 1;
    return decision;
  }
  if (u_fault < (edge += options_.error_rate)) {
    decision.kind = FaultKind::server_error;
    decision.status = u_status < 1.0 / 3 ? 500 : u_status < 2.0 / 3 ? 502 : 503;
  } else if (u_fault < (edge += options_.hang_rate)) {
    decision.kind = FaultKind::hang;
  } else if (u_fault < (edge += options_.malformed_rate)) {
    decision.kind = FaultKind::malformed;
  } else if (u_fault < (edge += options_.drop_rate)) {
    decision.kind = FaultKind::drop;
  }
  return decision;
}

}  // namespace optscale::mock
