// optscale.simulate: a SIMULATED scored pool from the calibrated generative
// model (pool/simulate.hpp), as `optscale simulate` writes it.
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "optscale/pool/pool.hpp"
#include "optscale/pool/simulate.hpp"
#include "optscale/util/error.hpp"

namespace optscale::python {

void bind_simulate(py::module_& m) {
  m.def(
      "simulate",
      [](int problems, int samples, std::uint64_t seed, const std::string& profile_name,
         const std::map<std::string, double>& params, const std::optional<std::string>& out) {
        require(problems >= 1, "simulate", "problems must be >= 1, got " + std::to_string(problems));
        require(samples >= 1, "simulate", "samples must be >= 1, got " + std::to_string(samples));
        std::vector<std::string> lines;
        {
          py::gil_scoped_release release;
          pool::SimulatorProfile profile = pool::simulator_profile(profile_name);
          for (const auto& [name, value] : params) pool::set_simulator_parameter(profile, name, value);
          const pool::SimulatedPool simulated = pool::simulate_pool(profile, problems, samples, seed);
          if (out) pool::write_pool(simulated.pool, *out);
          lines.reserve(simulated.pool.problems.size());
          for (const pool::Problem& problem : simulated.pool.problems) lines.push_back(pool::pool_line(problem));
        }
        const py::object loads = py::module_::import("json").attr("loads");
        py::list result;
        for (const std::string& line : lines) result.append(loads(line));
        return result;
      },
      py::kw_only(), py::arg("problems") = 500, py::arg("samples") = 64, py::arg("seed") = 1,
      py::arg("profile") = "math500", py::arg("params") = std::map<std::string, double>{},
      py::arg("out") = py::none(),
      R"(Draw a SIMULATED scored pool: `problems` problems of `samples` scored
samples each, from the simulator's calibrated generative model (deliberately
not a truncated normal; docs/simulator.md). Same arguments, same pool; a
smaller pool is a prefix of a larger one. params: {constant name: value}
overrides of the profile (`optscale simulate --show-params` lists them).
out: also write the pool to this JSON Lines file.

Returns the problems as dicts in the pool format (what eval takes as pool);
every one carries "synthetic": true, and reports made from them say
SIMULATED.)");
}

}  // namespace optscale::python
