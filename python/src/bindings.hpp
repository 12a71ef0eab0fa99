// The pieces of the `_optscale` module, one file per area of the API, and the
// helpers they share. Every function here is a thin wrapper over the library:
// convert arguments, release the GIL around the work, convert the result.
#pragma once
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

namespace optscale::python {

namespace py = pybind11;

void bind_plan(py::module_& m);
void bind_fit(py::module_& m);
void bind_answers(py::module_& m);
void bind_replay(py::module_& m);
void bind_simulate(py::module_& m);
void bind_predictor(py::module_& m);
void bind_prm(py::module_& m);
void bind_policy(py::module_& m);

// A JSON document as plain Python objects (dict, list, str, int, float,
// bool, None), through the standard json module: results go straight into
// pandas or matplotlib. Needs the GIL.
py::object to_python(const nlohmann::json& json);

// Shortest round-trip text of a number, as the CLI prints it in messages.
std::string number_text(double value);

}  // namespace optscale::python
