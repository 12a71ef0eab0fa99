// optscale.prm_input and optscale.aggregate_steps: how the engine shows a
// (problem, response) pair to a process reward model and turns its step
// rewards into one score (backend/prm_input.hpp), so that a Python loop
// scoring with vLLM's reward/encode API scores exactly as `optscale run` does.
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "optscale/backend/prm_input.hpp"

namespace optscale::python {

void bind_prm(py::module_& m) {
  m.def(
      "prm_input",
      [](const std::string& problem, const std::string& response, const std::string& system) {
        backend::PrmFormat format;
        format.system = system;
        return backend::render_prm_input(problem, response, format);
      },
      py::arg("problem"), py::arg("response"), py::kw_only(), py::arg("system") = backend::PrmFormat{}.system,
      R"(The text a process reward model scores for one response, in the
Qwen2.5-Math-PRM convention `optscale run` uses by default: its system
prompt, the problem as the user turn, and the response split on blank lines
into steps each followed by <extra_0>, rendered with the Qwen chat template.
Give it to vLLM's LLM.encode / LLM.reward with a PRM loaded as a reward
model; each <extra_0> gets one step reward.)");
  m.def(
      "aggregate_steps",
      [](const std::vector<double>& rewards, const std::string& how) {
        return backend::aggregate_steps(rewards, backend::parse_step_aggregation(how));
      },
      py::arg("rewards"), py::arg("how") = "mean",
      R"(One score from a response's step rewards (each in [0, 1]): "mean" (the
paper's, default), "last", "min" or "product"; 0 without steps, as the
reference does. The engine's --aggregation.)");
}

}  // namespace optscale::python
