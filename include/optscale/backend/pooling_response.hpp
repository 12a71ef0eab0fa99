// Parsing reward-model responses defensively: vLLM /pooling (every shape its
// versions have sent, peers.md §2) and /classify.
#pragma once
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace optscale::backend {

// The step rewards (positive-class probabilities) of each input of a /pooling
// request, in input order (items are matched by their `index`). Each item's
// payload (`data`, else `embedding` or `probs`) may be:
//  - rows [[p_neg, p_pos], ...], one per step tag: reward = row[positive_index]
//    (a one-element row is the reward itself);
//  - a flat list: as many numbers as steps -> the rewards; two numbers for a
//    one-step input -> one [p_neg, p_pos] row; 2 x steps numbers -> rows;
//  - a bare number (a one-value output) -> the one reward.
// `steps[i]` is the number of step tags sent in input i. Throws
// MalformedResponse naming the item for anything else: a different row count
// (the server is not pooling at the step tag), a base64 string, rewards that
// are not probabilities in [0, 1].
std::vector<std::vector<double>> parse_pooling_response(std::string_view body,
                                                        std::span<const std::size_t> steps,
                                                        int positive_index);

enum class ClassifyActivation;

// P(positive class) of each input of a /classify request:
//  - data[i].probs[positive_index] (probs[0] for a one-class head), as the
//    server computed them; a one-class probs [1.0] is refused (AttemptFailed,
//    unsupported): it is a softmax over one logit (SGLang's /v1/classify),
//    1.0 whatever the input, and the score must come from the raw logit;
//  - raw logits in `embedding` or `logits` (SGLang's native /classify; the
//    body may then be a bare object for one input) through `activation`;
//  - data[i].score.
std::vector<double> parse_classify_response(std::string_view body, std::size_t inputs, int positive_index,
                                            ClassifyActivation activation = ClassifyActivation{});

}  // namespace optscale::backend
