// optscale.extract_answer and optscale.answers_equivalent: the answers layer
// that grades and groups samples everywhere else (answers/answers.hpp).
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings.hpp"
#include "optscale/answers/answers.hpp"

namespace optscale::python {

void bind_answers(py::module_& m) {
  m.def(
      "extract_answer",
      [](const std::string& text) {
        py::gil_scoped_release release;
        return answers::extract_answer(text);
      },
      py::arg("text"),
      R"(The final answer of a solution text: the content of its last balanced
\boxed{...} (or \fbox{...}); else a GSM8K-style "#### n"; else a
conservative "the answer is ..." fallback. None when there is none.

>>> optscale.extract_answer(r"so the answer is \boxed{\frac{1}{2}}.")
'\\frac{1}{2}')");
  m.def(
      "answers_equivalent",
      [](const std::string& a, const std::string& b) {
        py::gil_scoped_release release;
        return answers::answers_equivalent(a, b);
      },
      py::arg("a"), py::arg("b"),
      R"(Whether two extracted answers denote the same mathematical value
(numbers, fractions, radicals, pi, percentages, units, tuples, intervals,
sets, multiple-choice letters...): the rule that grades samples against a
gold answer and groups them into vote classes.

>>> optscale.answers_equivalent("0.5", r"\frac{1}{2}")
True)");
  m.def(
      "canonical_key",
      [](const std::string& answer) {
        py::gil_scoped_release release;
        return answers::canonical_key(answer);
      },
      py::arg("answer"),
      R"(The canonical form that groups answers for voting: answers with the same
non-empty key are equivalent ("" for an empty answer, which matches nothing).)");
}

}  // namespace optscale::python
