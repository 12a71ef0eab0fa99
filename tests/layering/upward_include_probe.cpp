// Compiled as if it were a source of the policy layer (tests/CMakeLists.txt,
// `layering.AnUpwardIncludeFailsToCompile`): the engine layer is above
// policy, so this include must fail, whatever the layering test says.
#include "optscale/engine/controller.hpp"
