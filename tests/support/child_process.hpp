// Background processes for the integration tests: the real `optscale
// mock-server` (port read from its --port-file) and an `optscale run` that a
// test kills mid-way.
#pragma once
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

extern char** environ;

namespace optscale::testing {

class ChildProcess {
 public:
  // Runs `optscale <args>` with stdout/stderr sent to the given files.
  ChildProcess(const std::vector<std::string>& args, const std::filesystem::path& out,
               const std::filesystem::path& err) {
    std::vector<std::string> argv{optscale_binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = posix_spawn(&pid_, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  }
  ~ChildProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGTERM);
      for (int i = 0; i < 300 && !exited(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (!exited_) {
        ::kill(pid_, SIGKILL);
        wait();
      }
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int sig) { ::kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  bool exited() {
    if (exited_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
    }
    return exited_;
  }
  // Exit code, or -signal when killed.
  int wait() {
    if (!exited_) {
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -WTERMSIG(status_);
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

// `optscale mock-server --pool POOL --port 0 --port-file ... <extra>`, ready.
class MockServerProcess {
 public:
  MockServerProcess(const std::filesystem::path& dir, const std::filesystem::path& pool,
                    std::vector<std::string> extra = {}, const std::string& name = "mock") {
    const auto port_file = dir / (name + ".port");
    std::filesystem::remove(port_file);
    std::vector<std::string> args{"mock-server", "--pool", pool.string(), "--port", "0", "--port-file",
                                  port_file.string(), "--threads", "64", "--keep-alive-timeout", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(args, dir / (name + ".out"), dir / (name + ".err"));
    // Up to a minute: a sanitizer build on a loaded machine starts slowly.
    for (int i = 0; i < 6000 && !std::filesystem::exists(port_file); ++i) {
      if (process_->exited()) throw std::runtime_error("mock-server exited at start-up; see " + (dir / (name + ".err")).string());
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(port_file);
    in >> port_;
    if (port_ <= 0) throw std::runtime_error("mock-server did not report its port");
  }
  int port() const { return port_; }
  std::string root() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string v1() const { return root() + "/v1"; }
  ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace optscale::testing
