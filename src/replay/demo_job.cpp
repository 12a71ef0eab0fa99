#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "job_steps.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/replay/accuracy_plot.hpp"
#include "optscale/replay/jobs.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/replay/parallel_for.hpp"
#include "optscale/replay/recommendation.hpp"
#include "optscale/replay/svg_plot.hpp"
#include "optscale/replay/report.hpp"
#include "optscale/replay/strategy_list.hpp"
#include "optscale/replay/tuning_report.hpp"
#include "optscale/util/error.hpp"

namespace optscale::replay {
namespace {

constexpr const char* kBudgets = "n=8|16|32|64";
// The paper's MATH500 targets (paper-spec §4).
constexpr const char* kTargets = "target=0.85|0.9|0.925|0.95|0.96|0.97|0.98|0.99";
// The paper's deltas: with the targets, its 48-point grid for optscale0/t.
constexpr const char* kDeltas = "delta=0.01|0.02|0.035|0.05|0.075|0.1";
// optscale-seq draws one sample per round by default, so its confidence never
// matters (docs/strategies.md); its second knob is the futility level.
constexpr const char* kFutilities = "futility=0.01|0.02|0.05|0.1|0.2|0.3";
// hybrid's grid: asc's thresholds at the top, how much a verified sample
// counts (1 = asc), and the score that verifies.
constexpr const char* kHybridGrid = "threshold=0.9|0.95|0.99,verified_votes=1|4|16,target=0.95|0.98";
const std::vector<std::string> kFamilies = {"bon", "sc", "esc", "asc", "optscale0", "optscalet", "optscale-seq", "hybrid"};
// The demo's default panels: one generator (fitted to real reasoning models),
// a weak and a strong verifier.
constexpr const char* kDemoProfile = "strong-reasoner";
constexpr double kWeakVerifier = 0.6, kStrongVerifier = 0.95;
constexpr int kDemoProblems = 400, kDemoSamples = 64;
constexpr std::uint64_t kDemoSimulatorSeed = 1;

// The value of `key` in a canonical spec ("" when absent).
std::string spec_value(const std::string& spec, const std::string& key) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string::npos) return "";
  std::istringstream params(spec.substr(colon + 1));
  std::string param;
  while (std::getline(params, param, ','))
    if (param.rfind(key + "=", 0) == 0) return param.substr(key.size() + 1);
  return "";
}

// One pool of the demo: what it is, and what was measured on it.
struct Panel {
  std::string label;   // "strong reasoner, weak verifier (AUROC 0.6)"
  ReportSource source;
  ReplayResult result;
  TuningResult tuning;
  Recommendation recommendation;
  Plot plot;           // its tuning plot
};

// The setting chosen for a tuned cell, in short ("fixed" without choices).
std::string chosen_setting(const Panel& panel, const TunedCell& cell) {
  if (cell.candidates.size() <= 1) return "fixed";
  const std::string& chosen = panel.result.strategies[cell.most_chosen].spec;
  if (cell.family == "hybrid")
    return "threshold=" + spec_value(chosen, "threshold") + " verified_votes=" + spec_value(chosen, "verified_votes");
  const std::string second = cell.family == "optscale-seq" ? "futility" : "confidence";
  return "target=" + spec_value(chosen, "target") + " " + second + "=" + spec_value(chosen, second);
}

std::string format_demo(const std::vector<Panel>& panels, const TuningResult& any_tuning) {
  std::ostringstream out;
  bool synthetic = false;
  for (const Panel& panel : panels) synthetic = synthetic || panel.result.synthetic;
  if (synthetic) out << kSimulatedBanner << "\n";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    std::string header = report_header(panels[i].result, panels[i].source);
    if (header.rfind(kSimulatedBanner, 0) == 0) header.erase(0, std::string(kSimulatedBanner).size() + 1);
    out << char('A' + i) << ": " << panels[i].label << "; " << header;
  }
  out << "baselines (bon, sc, esc, asc): fixed settings. optscale0 and optscalet: target and confidence "
         "from the paper's MATH500 grid (8 x 6); optscale-seq: the same 8 targets x 6 futility levels; "
         "hybrid: threshold x verified_votes x target (3 x 3 x 2). Chosen per budget by "
      << selection_method(any_tuning) << ".\n";
  out << "intervals: " << interval_method(panels.front().result) << "\n\n";

  // One row per (budget, family), each panel's figures side by side.
  std::vector<std::string> headers = {"strategy", "n"};
  std::vector<bool> right = {false, true};
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const std::string tag(1, char('A' + i));
    for (const std::string h : {"accuracy %", "tokens", "vs BoN"}) {
      headers.push_back(tag + " " + h);
      right.push_back(true);
    }
    headers.push_back(tag + " setting");
    right.push_back(false);
  }
  std::vector<std::map<std::pair<int, std::string>, const TunedCell*>> cells(panels.size());
  std::vector<std::map<int, double>> bon_tokens(panels.size());
  std::vector<std::pair<int, std::string>> order;
  for (std::size_t i = 0; i < panels.size(); ++i)
    for (const TunedCell& cell : panels[i].tuning.cells) {
      cells[i][{cell.budget, cell.family}] = &cell;
      if (cell.family == "bon") bon_tokens[i][cell.budget] = cell.tokens.mean;
    }
  for (const auto& [key, cell] : cells.front()) {
    (void)cell;
    order.push_back(key);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    const auto rank = [](const std::string& f) { return std::find(kFamilies.begin(), kFamilies.end(), f) - kFamilies.begin(); };
    return rank(a.second) < rank(b.second);
  });
  std::vector<std::vector<std::string>> rows;
  for (const auto& key : order) {
    std::vector<std::string> row = {key.second, std::to_string(key.first)};
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const auto it = cells[i].find(key);
      if (it == cells[i].end()) {
        row.insert(row.end(), {"-", "-", "-", "-"});
        continue;
      }
      const TunedCell& cell = *it->second;
      const double bon = bon_tokens[i].count(key.first) ? bon_tokens[i][key.first] : 0.0;
      const double relative = bon > 0.0 ? 100.0 * (cell.tokens.mean / bon - 1.0) : 0.0;
      row.push_back(fixed(100.0 * cell.accuracy.mean, 2));
      row.push_back(fixed(cell.tokens.mean, 0));
      std::string versus_bon = relative > 0.0 ? "+" : "";
      versus_bon += fixed(relative, 1);
      versus_bon += '%';
      row.push_back(std::move(versus_bon));
      row.push_back(chosen_setting(panels[i], cell));
    }
    rows.push_back(std::move(row));
  }
  out << render_table(headers, rows, right);
  out << "\nWhich policy to pick (the cheapest tuned cell within one standard error, or 0.2 points if that is "
         "wider, of the most accurate one's accuracy, from the figures above):\n";
  for (std::size_t i = 0; i < panels.size(); ++i) out << char('A' + i) << ". " << panels[i].recommendation.line << "\n";
  if (synthetic)
    out << "\nSIMULATED: token savings and accuracies above come from simulated pools, not from a real model. "
           "On real pools of strong reasoners see ../shared/docs/real-pools.md.\n";
  return out.str();
}

}  // namespace

std::vector<std::string> demo_specs() {
  std::vector<std::string> specs;
  for (const std::string& family : kFamilies) {
    const bool tuned = family.rfind("optscale", 0) == 0;
    std::string spec = family + ":" + kBudgets;
    if (family == "hybrid") spec += std::string(",") + kHybridGrid;
    else if (family == "optscale-seq") spec += std::string(",") + kTargets + "," + kFutilities;
    else if (tuned) spec += std::string(",") + kTargets + "," + kDeltas;
    specs.push_back(spec);
  }
  return specs;
}

std::string run_demo(const DemoJob& job, const Progress& progress) {
  // The pools: the given files, else the two simulated verifiers.
  struct Source {
    std::string label, path;
    std::optional<pool::Pool> pool;
  };
  std::vector<Source> sources;
  if (job.pool_paths.empty()) {
    for (const double auroc : {kWeakVerifier, kStrongVerifier}) {
      std::ostringstream label, path;
      label << "strong reasoner, " << (auroc < 0.9 ? "weak" : "strong") << " verifier (AUROC " << auroc << ")";
      path << "simulate --profile " << kDemoProfile << " --verifier-auroc " << auroc << " --problems "
           << kDemoProblems << " --samples " << kDemoSamples << " --seed " << kDemoSimulatorSeed;
      progress("demo: " + path.str());
      sources.push_back({label.str(), path.str(),
                         pool::simulate_pool(pool::simulator_profile(kDemoProfile, auroc), kDemoProblems,
                                             kDemoSamples, kDemoSimulatorSeed)
                             .pool});
    }
  } else {
    for (const std::string& path : job.pool_paths) {
      require(std::filesystem::exists(path), path, "no such pool (--pool)");
      sources.push_back({std::filesystem::path(path).filename().string(), path, std::nullopt});
    }
  }

  std::vector<Panel> panels;
  const auto start = std::chrono::steady_clock::now();
  for (const Source& source : sources) {
    const detail::LoadedReplay loaded =
        detail::load_replay(source.path, source.pool, demo_specs(), job.options, progress, "demo: ");
    Panel panel;
    panel.label = source.label;
    panel.source = ReportSource{source.path, loaded.list.given};
    panel.result = replay(loaded.pool, loaded.list.pointers(), detail::with_progress(job.options, progress));
    panel.tuning = tune(panel.result, job.tuning);
    for (const std::string& warning : panel.result.warnings) progress("demo: warning: " + panel.label + ": " + warning);
    panel.recommendation = recommend(panel.tuning.cells, panel.label);
    const ReplayResult bon = bon_reference_curve(loaded.pool, job.options);
    const std::string subtitle = std::to_string(panel.result.problems) + " problems; tuned families " +
                                 detail::selection_subtitle(panel.tuning);
    panel.plot = (tuning_plot(panel.result, panel.tuning, &bon, panel.label, subtitle));
    panels.push_back(std::move(panel));
  }
  progress("demo: replayed and tuned in " + detail::seconds_since(start) + " s");

  std::filesystem::create_directories(job.out_dir);
  const std::string svg_path = (std::filesystem::path(job.out_dir) / "demo.svg").string();
  const std::string json_path = (std::filesystem::path(job.out_dir) / "demo.json").string();
  std::vector<Plot> plots;
  nlohmann::json json;
  json["panels"] = nlohmann::json::array();
  bool synthetic = false;
  for (const Panel& panel : panels) {
    plots.push_back(panel.plot);
    synthetic = synthetic || panel.result.synthetic;
    const Recommendation& r = panel.recommendation;
    nlohmann::json entry;
    entry["label"] = panel.label;
    entry["recommendation"] = {{"line", r.line},
                               {"family", r.pick->family},
                               {"budget", r.pick->budget},
                               {"accuracy", r.pick->accuracy.mean},
                               {"mean_tokens", r.pick->tokens.mean},
                               {"tolerance", r.tolerance},
                               {"best", {{"family", r.best->family}, {"budget", r.best->budget},
                                         {"accuracy", r.best->accuracy.mean},
                                         {"accuracy_se", r.best->accuracy.se}}}};
    if (r.rival != nullptr) entry["recommendation"]["rival"] = {{"family", r.rival->family}, {"budget", r.rival->budget}};
    entry["tune"] = tuning_json(panel.result, panel.tuning, panel.source);
    json["panels"].push_back(std::move(entry));
  }
  json["synthetic"] = synthetic;
  json["data"] = synthetic ? "SIMULATED" : "real";
  write_text_file(svg_path, render_side_by_side(plots));
  write_text_file(json_path, json.dump(2) + "\n");
  progress("demo: wrote " + svg_path + " and " + json_path);
  return format_demo(panels, panels.front().tuning);
}

}  // namespace optscale::replay
