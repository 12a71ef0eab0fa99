// A real process running in the background for integration tests: started
// with arguments (no shell), its stdout read line by line (servers print the
// port they bound), its stderr kept in a file, stopped by a signal. The
// destructor kills a process still running, so a failing test leaves none.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace optscale::testing {

class BackgroundProcess {
 public:
  BackgroundProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                    const std::filesystem::path& stderr_file)
      : stderr_file_(stderr_file) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> argv_text = {program.string()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      throw std::runtime_error("cannot start " + program.string());
    }
    stdout_fd_ = out[0];
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }

  // The first stdout line matching `pattern`, reading until it comes, the
  // process ends, or `timeout` passes (then nullopt).
  std::optional<std::smatch> wait_for_line(const std::regex& pattern,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::size_t newline;
      while ((newline = pending_.find('\n')) != std::string::npos) {
        lines_.push_back(pending_.substr(0, newline));
        pending_.erase(0, newline + 1);
        std::smatch match;
        if (std::regex_search(lines_.back(), match, pattern)) return match;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd fd{stdout_fd_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char buffer[4096];
      const ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
      if (n <= 0) return std::nullopt;  // closed: the process ended
      pending_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  // The port of the first "http://127.0.0.1:<port>" (or other host) it prints.
  int wait_for_port() {
    const auto match = wait_for_line(std::regex(R"(http://[^:/ ]+:(\d+))"));
    if (!match) throw std::runtime_error("the process printed no listening address; stderr:\n" + stderr_text());
    return std::stoi((*match)[1].str());
  }

  void signal(int number) { ::kill(pid_, number); }

  bool running() {
    if (exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) record(status);
    return !exited_;
  }

  // Waits for the exit and returns its status (128 + signal when killed).
  int wait() {
    if (!exited_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      record(status);
    }
    return exit_code_;
  }

  std::string stderr_text() const {
    std::ifstream in(stderr_file_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  const std::vector<std::string>& stdout_lines() const { return lines_; }
  pid_t pid() const { return pid_; }

 private:
  void record(int status) {
    exited_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::filesystem::path stderr_file_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string pending_;
  std::vector<std::string> lines_;
  bool exited_ = false;
  int exit_code_ = -1;
};

}  // namespace optscale::testing
