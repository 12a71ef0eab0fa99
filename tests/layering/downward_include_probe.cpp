// The control for upward_include_probe.cpp: the same policy-layer target
// includes its own layer and the layers policy uses, and must compile, so the
// probe above fails for its include and nothing else.
#include "optscale/answers/answer_classes.hpp"
#include "optscale/policy/problem_run.hpp"
#include "optscale/stats/normal.hpp"
#include "optscale/util/error.hpp"
