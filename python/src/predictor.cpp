// optscale.Predictor: the prior predictor OptScale^t uses (a trained model
// file, the shipped one by default; predict/model_predictor.hpp).
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bindings.hpp"
#include "optscale/predict/model_predictor.hpp"

namespace optscale::python {
namespace {

struct PyPredictor {
  std::shared_ptr<const predict::ModelPredictor> model;
};

}  // namespace

void bind_predictor(py::module_& m) {
  py::class_<PyPredictor>(m, "Predictor", R"(A prior predictor: from a problem's text, before any sample is drawn,
its predicted score law (mu, sigma) and the model's uncertainty of each.
Make one with Predictor.load("default") or Predictor.load(path).)")
      .def_static(
          "load",
          [](const std::string& name) {
            std::shared_ptr<const predict::ModelPredictor> model;
            {
              py::gil_scoped_release release;
              const std::filesystem::path path =
                  name == "default" ? predict::default_model_path() : std::filesystem::path(name);
              model = std::make_shared<const predict::ModelPredictor>(predict::ModelPredictor::load(path));
            }
            return PyPredictor{std::move(model)};
          },
          py::arg("model") = "default",
          R"(Load a predictor model file (as `optscale predictor train` writes), or
"default": $OPTSCALE_PREDICTOR if set, else the shipped model (bundled with
the package). Raises optscale.Error naming the file when it cannot.)")
      .def(
          "predict",
          [](const PyPredictor& self, const py::object& problems) {
            std::vector<std::string> texts = py::isinstance<py::str>(problems)
                                                 ? std::vector<std::string>{problems.cast<std::string>()}
                                                 : problems.cast<std::vector<std::string>>();
            std::vector<std::tuple<double, double, double, double>> out;
            {
              py::gil_scoped_release release;
              std::vector<predict::ProblemRef> refs;
              refs.reserve(texts.size());
              for (const std::string& text : texts) refs.push_back(predict::ProblemRef{text});
              for (const predict::Prediction& p : self.model->predict_all(refs))
                out.emplace_back(p.mu, p.sigma, p.mu_std, p.sigma_std);
            }
            return out;
          },
          py::arg("problems"),
          R"(Predict each problem text's score law: a list of (mu, sigma, mu_std,
sigma_std), one per problem in order (a single string gives a list of one).
Raises optscale.Error for an empty problem text.)")
      .def("__repr__", [](const PyPredictor& self) { return "<optscale.Predictor " + self.model->describe() + ">"; });
}

}  // namespace optscale::python
