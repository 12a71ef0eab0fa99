// The proxy's log on stderr. Verbosity 0 (default): start, stop, and failures
// of the upstream or of the proxy itself; 1: also one line per request
// (endpoint, status, outcome, samples, latency); 2: also request bodies,
// which hold prompts. Keys are never logged at any verbosity, and prompts
// never below 2.
#pragma once
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace optscale::server {

class RequestLog {
 public:
  using Sink = std::function<void(std::string_view line)>;
  // The default sink writes "optscale serve: <line>\n" to stderr.
  explicit RequestLog(int verbosity = 0, Sink sink = {});
  int verbosity() const { return verbosity_; }
  bool enabled(int level) const { return verbosity_ >= level; }
  void write(int level, std::string_view line);

 private:
  int verbosity_;
  Sink sink_;
  std::mutex mutex_;
};

}  // namespace optscale::server
