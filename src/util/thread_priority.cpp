#include "optscale/util/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace optscale::util {

void lower_current_thread_priority(int steps) {
  if (steps <= 0) return;
  // On Linux, PRIO_PROCESS with a thread id applies to that thread only.
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, tid);
  if (errno != 0) return;
  setpriority(PRIO_PROCESS, tid, current + steps);
}

}  // namespace optscale::util
