// optscale.prm_input and optscale.aggregate_steps: how the engine shows a
// (problem, response) pair to a process reward model and turns its step
// rewards into one score (backend/prm_input.hpp), so that a Python loop
// scoring with vLLM's reward/encode API scores exactly as `optscale run` does.
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "optscale/backend/pooling_response.hpp"
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
  m.def(
      "pooling_rewards",
      [](const std::string& body, const std::vector<std::string>& responses, int positive_index) {
        py::gil_scoped_release release;
        const backend::PrmFormat format;
        std::vector<std::size_t> steps;
        for (const std::string& response : responses) steps.push_back(backend::count_steps(response, format));
        return backend::parse_pooling_response(body, steps, positive_index);
      },
      py::arg("body"), py::arg("responses"), py::kw_only(), py::arg("positive_index") = 1,
      R"(The step rewards in a vLLM /pooling reply (its JSON text) to the inputs
prm_input(problem, response) for each of `responses`, in order: every
shape vLLM versions send is read as `optscale run` reads it, and a reply
whose step count does not match raises optscale.Error naming the item.)");
}

}  // namespace optscale::python
