#include "optscale/engine/progress.hpp"

#include <cmath>
#include <cstdio>

namespace optscale::engine {
namespace {

std::string compact(double value) {
  char text[32];
  if (value >= 1e9) {
    std::snprintf(text, sizeof text, "%.2fG", value / 1e9);
  } else if (value >= 1e6) {
    std::snprintf(text, sizeof text, "%.2fM", value / 1e6);
  } else if (value >= 1e4) {
    std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", value);
  }
  return text;
}

std::string duration(double seconds) {
  char text[32];
  long long s = std::llround(seconds);
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%llds", s);
  }
  return text;
}

}  // namespace

std::string format_progress(const ProgressSnapshot& p, double elapsed_s) {
  std::string line = std::to_string(p.done) + "/" + std::to_string(p.total) + " problems | " +
                     compact(static_cast<double>(p.samples)) + " samples | " +
                     compact(static_cast<double>(p.tokens)) + " tokens";
  if (p.graded > 0) {
    char acc[48];
    std::snprintf(acc, sizeof acc, " | acc %.1f%% (%zu)", 100.0 * static_cast<double>(p.correct) / static_cast<double>(p.graded),
                  p.graded);
    line += acc;
  }
  if (elapsed_s > 0) {
    char rate[48];
    std::snprintf(rate, sizeof rate, " | %.1f samples/s", static_cast<double>(p.drawn) / elapsed_s);
    line += rate;
  }
  const std::size_t done_now = p.done - p.done_before;
  if (p.done < p.total && done_now > 0 && elapsed_s > 0) {
    double eta = elapsed_s / static_cast<double>(done_now) * static_cast<double>(p.total - p.done);
    line += " | ETA " + duration(eta);
  } else if (p.done == p.total) {
    line += " | " + duration(elapsed_s);
  }
  return line;
}

Progress::Progress(std::ostream* out, double interval_s, bool terminal)
    : out_(out), interval_s_(interval_s), terminal_(terminal) {}

void Progress::update(const ProgressSnapshot& snapshot) {
  if (!out_) return;
  auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_s_) return;
  last_ = now;
  print(snapshot, false);
}

void Progress::finish(const ProgressSnapshot& snapshot) {
  if (!out_) return;
  print(snapshot, true);
}

void Progress::print(const ProgressSnapshot& snapshot, bool last) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = "optscale run: " + format_progress(snapshot, elapsed);
  if (terminal_) {
    *out_ << "\r\033[K" << line << (last ? "\n" : "");
  } else {
    *out_ << line << "\n";
  }
  out_->flush();
}

}  // namespace optscale::engine
