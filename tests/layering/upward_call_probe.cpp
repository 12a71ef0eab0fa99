// Linked as if it were an object of the policy layer (tests/CMakeLists.txt,
// `layering.AnUpwardCallFailsToLink`): it declares an engine function by hand,
// without the engine's header, and refers to it. Linked as a layer's link
// check links (policy and the layers below it only), the reference is
// undefined.
#include <filesystem>
#include <vector>

namespace optscale::engine {
struct Problem;
std::vector<Problem> read_problems(const std::filesystem::path& path);
}  // namespace optscale::engine

using ReadProblems = std::vector<optscale::engine::Problem> (*)(const std::filesystem::path&);
ReadProblems policy_layer_object_reaching_the_engine() { return &optscale::engine::read_problems; }
