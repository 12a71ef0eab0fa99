// Final answers of math solutions: extraction, normalisation and equivalence
// (paper-spec §4), as the `answers` layer's public face.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace optscale::answers {

// The content of the last top-level balanced, non-empty \boxed{...} or
// \fbox{...} (also the "\boxed 5" token form) anywhere in `text`: the paper's
// answer rule alone (paper-spec §4). A box that never closes is ignored.
std::optional<std::string> last_boxed(std::string_view text);

// The content of the last top-level balanced \boxed{...} (or \fbox{...});
// else a GSM8K-style "#### n"; else a conservative "the answer is ..." fallback.
// nullopt when none is found.
std::optional<std::string> extract_answer(std::string_view text);

// The number after "####" in a GSM8K worked solution; nullopt if absent.
std::optional<std::string> extract_gsm8k_gold(std::string_view solution);

// A canonical form used to group answers for voting: answers with the same
// (non-empty) key are equivalent. (Equivalent answers usually, not always,
// share a key; use answers_equivalent for grading.) Numbers key as exact
// "p/q" or a rounded "~x"; the empty answer keys as "" and matches nothing.
std::string canonical_key(std::string_view answer);

// Whether two extracted answers denote the same mathematical value (numbers,
// fractions, radicals, pi, percentages, units, tuples, intervals, sets,
// multiple-choice letters...).
bool answers_equivalent(std::string_view a, std::string_view b);

// Why `answer` is compared as normalised text rather than read as
// mathematics when it nests past the reader's depth limits (hostile or
// degenerate input such as \sqrt{\sqrt{...}} 10,000 deep); nullopt for an
// answer read normally (docs/answers.md#limits).
std::optional<std::string> answer_depth_note(std::string_view answer);

}  // namespace optscale::answers
