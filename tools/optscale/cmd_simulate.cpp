// optscale simulate: draw a synthetic scored pool from the simulator's
// generative model (docs/simulator.md), or compare one with the real data
// (--calibration-report).
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/pool_structure.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/pool/simulator_calibration.hpp"
#include "optscale/util/error.hpp"

namespace optscale::cli {
namespace {

struct SimulateOptions {
  int problems = 500;
  int samples = 64;
  std::uint64_t seed = 1;
  std::string profile = "math500";
  std::string out;
  std::vector<std::string> params;
  bool calibration_report = false;
  bool structure_report = false;
  double verifier_auroc = 0.0;  // 0: the profile's own
  bool show_params = false;
  bool json = false;
  std::string shared_data = "../shared/data";
};

pool::SimulatorProfile configured_profile(const SimulateOptions& o) {
  pool::SimulatorProfile profile = o.verifier_auroc > 0.0
                                       ? pool::simulator_profile(o.profile, o.verifier_auroc)
                                       : pool::simulator_profile(o.profile);
  for (const std::string& assignment : o.params) {
    const auto eq = assignment.find('=');
    require(eq != std::string::npos && eq > 0, [&] { return "--param " + assignment; }, "expected NAME=VALUE");
    const std::string name = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    double value = 0.0;
    std::size_t used = 0;
    try {
      value = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    require(used == text.size() && used > 0, [&] { return "--param " + assignment; },
            [&] { return "the value \"" + text + "\" is not a number"; });
    pool::set_simulator_parameter(profile, name, value);
  }
  return profile;
}

// The figures docs/real-pools.md measures on real pools, of the simulated one.
void print_structure_report(const pool::SimulatedPool& simulated, const pool::SimulatorProfile& profile,
                            const SimulateOptions& o) {
  const auto figures = pool::compute_structure_figures(simulated.pool, profile.tokens_cap);
  const auto values = pool::structure_figure_values(figures);
  if (o.json) {
    std::cout << "{\"profile\": \"" << profile.name << "\", \"figures\": {";
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::cout << (i ? ", " : "") << "\"" << values[i].first << "\": " << std::setprecision(10)
                << values[i].second;
    }
    std::cout << "}}\n";
    return;
  }
  std::cout << "SIMULATED pool structure: profile " << profile.name << ", " << o.problems
            << " problems x " << o.samples << " samples, seed " << o.seed << "\n";
  for (const auto& [name, value] : values) {
    std::cout << "  " << std::left << std::setw(38) << name << std::setprecision(4) << value << "\n";
  }
}

int run_simulate(const SimulateOptions& o) {
  const pool::SimulatorProfile profile = configured_profile(o);
  if (o.show_params) {
    for (const auto& [name, value] : pool::simulator_parameters(profile)) {
      std::cout << name << " = " << value << "\n";
    }
    return 0;
  }
  if (!o.calibration_report && !o.structure_report)
    require(!o.out.empty(), "simulate", "--out is required");
  std::cerr << "optscale: simulating " << o.problems << " problems x " << o.samples
            << " samples (profile " << profile.name << ", seed " << o.seed << ")\n";
  const pool::SimulatedPool simulated = pool::simulate_pool(profile, o.problems, o.samples, o.seed);
  if (!o.out.empty()) {
    pool::write_pool(simulated.pool, o.out);
    std::cerr << "optscale: wrote SIMULATED pool " << o.out << "\n";
  }
  if (o.structure_report) print_structure_report(simulated, profile, o);
  if (o.calibration_report) {
    const auto reference = pool::load_calibration_reference(o.shared_data, profile.name);
    const auto report = pool::compare_with_reference(simulated, reference, o.seed);
    std::cout << (o.json ? pool::calibration_report_json(report)
                         : pool::format_calibration_report(report));
  }
  return 0;
}

const CommandRegistration registration{
    "simulate", "Draw a SIMULATED scored pool (docs/simulator.md)", [](CLI::App& sub) {
      auto options = std::make_shared<SimulateOptions>();
      add_flag_option(sub, "--problems", options->problems, "Number of problems (default 500)")
          ->check(CLI::Range(1, 10'000'000));
      add_flag_option(sub, "--samples", options->samples, "Samples per problem (default 64)")
          ->check(CLI::Range(1, 1'000'000));
      add_flag_option(sub, "--seed", options->seed, "Random seed (default 1); same seed, same bytes");
      add_flag_option(sub, "--profile", options->profile, "Calibrated profile (default math500)");
      add_flag_option(sub, "--out", options->out, "Pool file to write (JSON Lines)");
      add_flag_option(sub, "--param", options->params,
                      "NAME=VALUE: override one model constant (calibration experiments); repeatable");
      sub.add_flag("--calibration-report", options->calibration_report,
                   "Compare the simulated pool with the real labels and published curves")
          ->envname(env_name("--calibration-report"));
      add_flag_option(sub, "--verifier-auroc", options->verifier_auroc,
                      "Verifier strength of strong-reasoner / mixed-reasoner: the within-problem "
                      "AUROC of the score, 0.5..0.95 (default 0.75)");
      sub.add_flag("--structure-report", options->structure_report,
                   "Print the answer and length figures docs/real-pools.md measures on real pools")
          ->envname(env_name("--structure-report"));
      sub.add_flag("--show-params", options->show_params, "Print the profile's constants and exit")
          ->envname(env_name("--show-params"));
      sub.add_flag("--json", options->json, "Calibration report as JSON")->envname(env_name("--json"));
      add_flag_option(sub, "--shared-data", options->shared_data,
                      "Folder holding optscale-reference/ (default ../shared/data)");
      return [options] { return run_simulate(*options); };
    }};

}  // namespace
}  // namespace optscale::cli
