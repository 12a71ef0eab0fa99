// Answer extraction, normalisation and equivalence (docs/answers.md) on any
// text: the input is split at its first NUL into two answers (or a
// completion and a gold). Contract: nothing but optscale::Error escapes (in
// fact nothing should), equivalence is symmetric, the empty answer matches
// nothing, and answer classes give one label per answer (-1 for none).
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "optscale/answers/answer_classes.hpp"
#include "optscale/answers/answers.hpp"

using namespace optscale;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t cut = input.find('\0');
  const std::string_view a = input.substr(0, cut);
  const std::string_view b = cut == std::string_view::npos ? std::string_view() : input.substr(cut + 1);

  fuzz::refused_or_done([&] {
    answers::last_boxed(a);
    const std::optional<std::string> extracted = answers::extract_answer(a);
    answers::extract_gsm8k_gold(a);

    answers::canonical_key(a);
    answers::canonical_key(b);
    const bool ab = answers::answers_equivalent(a, b);
    const bool ba = answers::answers_equivalent(b, a);
    FUZZ_CHECK(ab == ba, "equivalence is symmetric");
    if (a.empty() || b.empty()) FUZZ_CHECK(!ab, "the empty answer matches nothing");

    answers::AnswerClasses classes;
    classes.add(extracted);
    classes.add(std::string(a));
    classes.add(std::string(b));
    classes.add(std::nullopt);
    const std::vector<int> labels = classes.classes();
    FUZZ_CHECK(labels.size() == 4, "one class label per answer");
    FUZZ_CHECK(labels[3] == -1, "no answer has no class");
  });
  return 0;
}
