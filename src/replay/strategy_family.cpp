#include "optscale/replay/replay.hpp"

namespace optscale::replay {

std::string strategy_family(const std::string& spec) { return spec.substr(0, spec.find(':')); }

}  // namespace optscale::replay
