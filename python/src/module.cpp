// The `_optscale` extension module: optscale.Error and every binding.
#include <pybind11/pybind11.h>

#include <charconv>

#include "bindings.hpp"
#include "optscale/util/data_files.hpp"
#include "optscale/util/error.hpp"

namespace optscale::python {

py::object to_python(const nlohmann::json& json) {
  // (No static cache of json.loads: it would outlive the interpreter.)
  return py::module_::import("json").attr("loads")(json.dump());
}

std::string number_text(double value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

}  // namespace optscale::python

PYBIND11_MODULE(_optscale, m) {
  namespace py = pybind11;
  m.doc() = "Native part of the optscale package: bindings over the C++ library (import optscale instead).";
  // Every optscale::Error (bad input, named where and what) becomes
  // optscale.Error, a ValueError carrying the library's message unchanged.
  py::register_exception<optscale::Error>(m, "Error", PyExc_ValueError);
  m.def(
      "_add_data_root", [](const std::string& root) { optscale::add_data_root(root); }, py::arg("root"),
      "Where the package's data files (the default predictor model) are: looked up first.");
  optscale::python::bind_plan(m);
  optscale::python::bind_fit(m);
  optscale::python::bind_answers(m);
  optscale::python::bind_replay(m);
  optscale::python::bind_simulate(m);
  optscale::python::bind_predictor(m);
  optscale::python::bind_prm(m);
  optscale::python::bind_policy(m);
}
