// optscale.plan and the array form behind optscale.plan_many: the
// sample-count bound of stats/sample_bound.hpp, the numbers `optscale plan`
// and `plan --batch` print.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>

#include "bindings.hpp"
#include "optscale/stats/sample_bound.hpp"
#include "optscale/util/error.hpp"

namespace optscale::python {
namespace {

// One decision as the CLI makes it: confidence checked in its own words,
// then delta = 1 - confidence handed to the bound (as plan --batch does).
stats::SampleBound plan_one(double mu, double sigma, double target, double confidence, int budget, int peek,
                            stats::BoundMethod method, const char* where) {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw Error(std::string(where) + ": confidence must be in (0, 1), got " + number_text(confidence));
  stats::SampleBoundRequest request;
  request.target = target;
  request.risk = 1.0 - confidence;
  request.budget = budget;
  request.peek = peek;
  request.method = method;
  return stats::required_samples(stats::TruncatedNormal(mu, sigma), request);
}

// The outcomes in enum order: plan_many returns their codes, optscale maps
// the codes to these names.
constexpr std::array kOutcomes{stats::BoundOutcome::reached, stats::BoundOutcome::capped,
                               stats::BoundOutcome::unreachable, stats::BoundOutcome::certain};

std::int8_t outcome_code(stats::BoundOutcome outcome) {
  for (std::size_t i = 0; i < kOutcomes.size(); ++i)
    if (kOutcomes[i] == outcome) return static_cast<std::int8_t>(i);
  return -1;
}

using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ints = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

// Equal-length 1-D arrays in (optscale.plan_many broadcasts first), three
// arrays out. The loop runs without the GIL; the inputs are private copies
// made by forcecast or arrays the caller keeps alive for the call.
py::tuple plan_arrays(const Doubles& mu, const Doubles& sigma, const Doubles& target, const Doubles& confidence,
                      const Ints& budget, const Ints& peek, const std::string& method_text) {
  const py::ssize_t size = mu.size();
  for (const py::array* a : {static_cast<const py::array*>(&sigma), static_cast<const py::array*>(&target),
                             static_cast<const py::array*>(&confidence), static_cast<const py::array*>(&budget),
                             static_cast<const py::array*>(&peek)})
    if (a->ndim() != 1 || a->size() != size) throw Error("plan_many: the arrays must have one shape");
  const stats::BoundMethod method = stats::parse_bound_method(method_text);
  py::array_t<std::int64_t> n(size);
  py::array_t<std::int8_t> outcome(size);
  py::array_t<double> p_success(size);
  const double *mu_p = mu.data(), *sigma_p = sigma.data(), *target_p = target.data(),
               *confidence_p = confidence.data();
  const std::int64_t *budget_p = budget.data(), *peek_p = peek.data();
  std::int64_t* n_p = n.mutable_data();
  std::int8_t* outcome_p = outcome.mutable_data();
  double* p_p = p_success.mutable_data();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < size; ++i) {
      try {
        const auto as_int = [&](std::int64_t value, const char* name) {
          if (value < INT32_MIN || value > INT32_MAX)
            throw Error(std::string(name) + " must fit in 32 bits, got " + std::to_string(value));
          return static_cast<int>(value);
        };
        const stats::SampleBound bound =
            plan_one(mu_p[i], sigma_p[i], target_p[i], confidence_p[i], as_int(budget_p[i], "budget"),
                     as_int(peek_p[i], "peek"), method, "plan");
        n_p[i] = bound.n;
        outcome_p[i] = outcome_code(bound.outcome);
        p_p[i] = bound.p_success;
      } catch (const Error& e) {
        throw Error("plan_many: element " + std::to_string(i) + " (mu=" + number_text(mu_p[i]) +
                    ", sigma=" + number_text(sigma_p[i]) + ", target=" + number_text(target_p[i]) +
                    ", confidence=" + number_text(confidence_p[i]) + "): " + e.what());
      }
    }
  }
  return py::make_tuple(n, outcome, p_success);
}

}  // namespace

void bind_plan(py::module_& m) {
  m.def(
      "plan",
      [](double mu, double sigma, double target, double confidence, int budget, int peek,
         const std::string& method) {
        const stats::SampleBound bound = plan_one(mu, sigma, target, confidence, budget, peek,
                                                  stats::parse_bound_method(method), "plan");
        py::dict out;
        out["n"] = bound.n;
        out["outcome"] = stats::to_string(bound.outcome);
        out["p_success"] = bound.p_success;
        return out;
      },
      py::kw_only(), py::arg("mu"), py::arg("sigma"), py::arg("target"), py::arg("confidence"),
      py::arg("budget") = 64, py::arg("peek") = 0, py::arg("method") = "exact",
      R"(How many samples to draw so that the best score reaches `target` with
probability `confidence`, for scores that follow a normal law TN(mu, sigma)
truncated to [0, 1] (N* = ceil(ln(1 - confidence) / ln F(target)), never
fewer than `peek` already drawn, at most `budget`).

Returns {"n": int, "outcome": "reached"|"capped"|"unreachable"|"certain",
"p_success": P(best of n >= target)}: the numbers `optscale plan --json`
prints. method: "exact" (closed form, default) or "grid" (the reference
code's 1000-point routine, for parity). Raises optscale.Error for a sigma
<= 0, a confidence outside (0, 1), a budget < 1 or a peek outside [0, budget].

>>> optscale.plan(mu=0.9, sigma=0.05, target=0.95, confidence=0.95)["n"]
21)");

  m.def("_plan_arrays", &plan_arrays, py::arg("mu"), py::arg("sigma"), py::arg("target"), py::arg("confidence"),
        py::arg("budget"), py::arg("peek"), py::arg("method"),
        "plan over equal-length 1-D arrays: (n, outcome codes into _OUTCOMES, p_success). Use optscale.plan_many.");
  py::tuple names(kOutcomes.size());
  for (std::size_t i = 0; i < kOutcomes.size(); ++i) names[i] = stats::to_string(kOutcomes[i]);
  m.attr("_OUTCOMES") = names;
}

}  // namespace optscale::python
