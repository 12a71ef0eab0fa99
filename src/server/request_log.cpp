#include "optscale/server/request_log.hpp"

#include <cstdio>

namespace optscale::server {

RequestLog::RequestLog(int verbosity, Sink sink) : verbosity_(verbosity), sink_(std::move(sink)) {
  if (!sink_)
    sink_ = [](std::string_view line) {
      std::fprintf(stderr, "optscale serve: %.*s\n", static_cast<int>(line.size()), line.data());
      std::fflush(stderr);
    };
}

void RequestLog::write(int level, std::string_view line) {
  if (!enabled(level)) return;
  std::lock_guard lock(mutex_);
  sink_(line);
}

}  // namespace optscale::server
