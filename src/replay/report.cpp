#include "optscale/replay/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

std::string percent(double fraction) { return fixed(100.0 * fraction, 2); }

std::string stop_reason_text(const std::map<std::string, long long>& reasons) {
  std::string out;
  for (const auto& [reason, count] : reasons) {
    if (!out.empty()) out += ' ';
    out += reason + ":" + std::to_string(count);
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string csv_optional(const std::optional<double>& value) {
  return value ? csv_number(*value) : "";
}

}  // namespace

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string interval_text(const Figure& figure, double scale, int decimals) {
  if (!figure.ci_lo) return "";
  std::string text = "[";  // appended piecewise: GCC 12 misfires -Wrestrict on "[" + string&&
  text += fixed(*figure.ci_lo * scale, decimals);
  text += ", ";
  text += fixed(*figure.ci_hi * scale, decimals);
  text += "]";
  return text;
}

nlohmann::json interval_json(const Figure& figure) {
  if (!figure.ci_lo) return nullptr;
  return nlohmann::json::array({*figure.ci_lo, *figure.ci_hi});
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& right_aligned) {
  std::vector<std::size_t> widths(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    widths[c] = headers[c].size();
    for (const auto& row : rows) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) text += "  ";
      const std::size_t missing = widths[c] > cells[c].size() ? widths[c] - cells[c].size() : 0;
      if (right_aligned[c]) text += std::string(missing, ' ') + cells[c];
      else if (c + 1 < cells.size()) text += cells[c] + std::string(missing, ' ');
      else text += cells[c];
    }
    out += text + "\n";
  };
  line(headers);
  for (const auto& row : rows) line(row);
  return out;
}

std::string interval_method(const ReplayResult& result) {
  std::string text = fixed(100.0 * result.confidence, 0) +
                     "% Student t interval over problems of each problem's figure";
  if (result.orders > 1) text += " averaged over " + std::to_string(result.orders) + " seeded sample orders";
  text += " (n = " + std::to_string(result.problems) + " problems)";
  return text;
}

std::string report_header(const ReplayResult& result, const ReportSource& source) {
  std::ostringstream out;
  if (result.synthetic) out << kSimulatedBanner << "\n";
  out << "pool: " << (source.pool_path.empty() ? "(in memory)" : source.pool_path) << " ("
      << result.problems << " problems" << (result.synthetic ? ", SIMULATED" : "")
      << "); orders: " << result.orders;
  if (result.orders == 1) out << " (pool order)";
  else out << " (seed " << result.seed << ")";
  out << "; answer grouping: " << answers::to_string(result.grouping) << "\n";
  return out.str();
}

std::string format_table(const ReplayResult& result, const ReportSource& source) {
  std::ostringstream out;
  out << report_header(result, source);
  out << "intervals: " << interval_method(result) << "\n";

  std::vector<std::vector<std::string>> rows;
  for (const StrategyResult& r : result.strategies) {
    rows.push_back({r.spec, percent(r.accuracy.mean), interval_text(r.accuracy, 100.0, 2),
                    fixed(r.tokens.mean, 0), interval_text(r.tokens, 1.0, 0), fixed(r.samples.mean, 2),
                    stop_reason_text(r.stop_reasons)});
  }
  out << render_table({"strategy", "accuracy %", "95% CI", "tokens", "95% CI", "samples", "stop reasons"},
                      rows, {false, true, true, true, true, true, false});
  return out.str();
}

nlohmann::json strategy_json(const StrategyResult& r) {
  nlohmann::json out;
  out["strategy"] = r.spec;
  out["family"] = r.family;
  out["budget"] = r.budget;
  out["accuracy"] = r.accuracy.mean;
  out["accuracy_ci"] = interval_json(r.accuracy);
  out["accuracy_order_sd"] = r.accuracy.order_sd;
  out["mean_tokens"] = r.tokens.mean;
  out["tokens_ci"] = interval_json(r.tokens);
  out["tokens_order_sd"] = r.tokens.order_sd;
  out["mean_samples"] = r.samples.mean;
  out["samples_ci"] = interval_json(r.samples);
  out["samples_order_sd"] = r.samples.order_sd;
  out["stop_reasons"] = r.stop_reasons;
  return out;
}

nlohmann::json to_json(const ReplayResult& result, const ReportSource& source) {
  nlohmann::json out;
  out["synthetic"] = result.synthetic;
  out["data"] = result.synthetic ? "SIMULATED" : "real";
  if (result.synthetic) out["note"] = kSimulatedBanner;
  out["pool"] = source.pool_path;
  out["problems"] = result.problems;
  out["orders"] = result.orders;
  out["seed"] = result.seed;
  out["answer_grouping"] = answers::to_string(result.grouping);
  out["confidence"] = result.confidence;
  out["interval_method"] = interval_method(result);
  out["fits"] = {{"computed", result.fits_computed}, {"reused", result.fits_reused}};
  nlohmann::json results = nlohmann::json::array();
  for (std::size_t i = 0; i < result.strategies.size(); ++i) {
    nlohmann::json entry = strategy_json(result.strategies[i]);
    if (i < source.given.size() && !source.given[i].empty()) entry["given"] = source.given[i];
    results.push_back(std::move(entry));
  }
  out["results"] = std::move(results);
  return out;
}

std::string to_csv(const ReplayResult& result, const ReportSource& source) {
  std::ostringstream out;
  out << "data,strategy,given,family,budget,accuracy,accuracy_ci_lo,accuracy_ci_hi,"
         "accuracy_order_sd,mean_tokens,tokens_ci_lo,tokens_ci_hi,tokens_order_sd,"
         "mean_samples,samples_ci_lo,samples_ci_hi,samples_order_sd,stop_reasons\r\n";
  const std::string data = result.synthetic ? "SIMULATED" : "real";
  for (std::size_t i = 0; i < result.strategies.size(); ++i) {
    const StrategyResult& r = result.strategies[i];
    const std::string given = i < source.given.size() ? source.given[i] : "";
    out << data << ',' << csv_field(r.spec) << ',' << csv_field(given) << ',' << csv_field(r.family)
        << ',' << r.budget;
    for (const Figure* f : {&r.accuracy, &r.tokens, &r.samples})
      out << ',' << csv_number(f->mean) << ',' << csv_optional(f->ci_lo) << ','
          << csv_optional(f->ci_hi) << ',' << csv_number(f->order_sd);
    out << ',' << csv_field(stop_reason_text(r.stop_reasons)) << "\r\n";
  }
  return out.str();
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  require(static_cast<bool>(file), path, "cannot open for writing");
  file << text;
  file.close();
  require(!file.fail(), path, "write failed");
}

}  // namespace optscale::replay
