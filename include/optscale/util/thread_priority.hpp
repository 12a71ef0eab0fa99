// Lowering the CPU priority of threads that mostly wait on the network, so
// that a busy machine does not starve the few threads everything passes
// through (the engine's controller). Unprivileged: a thread may always lower
// its own priority (raise its nice value); it cannot raise it back.
#pragma once

namespace optscale::util {

// Adds `steps` (> 0) to the calling thread's nice value (Linux: per thread).
// Best effort: silently does nothing where the system refuses.
void lower_current_thread_priority(int steps);

}  // namespace optscale::util
