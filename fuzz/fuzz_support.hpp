// What every fuzz target shares: a contract check that aborts (so libFuzzer
// records the input), and the input written to a file for readers that take
// a path. An exception other than optscale::Error that leaves a target is a
// finding too: it reaches std::terminate, which libFuzzer reports as a crash.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "optscale/util/error.hpp"

namespace optscale::fuzz {

// Aborts with the contract that failed: a finding.
[[noreturn]] inline void contract_failed(const char* condition, const char* file, int line, const std::string& detail) {
  std::fprintf(stderr, "%s:%d: contract violated: %s %s\n", file, line, condition, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(condition, detail)                                                    \
  do {                                                                                   \
    if (!(condition)) ::optscale::fuzz::contract_failed(#condition, __FILE__, __LINE__, detail); \
  } while (0)

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Runs `action`; an optscale::Error is a proper refusal and is swallowed.
// Anything else propagates (a finding). Returns whether it succeeded.
template <typename Action>
bool refused_or_done(Action&& action) {
  try {
    action();
    return true;
  } catch (const optscale::Error&) {
    return false;
  }
}

// One file per process (in /dev/shm when there is one) holding the current
// input, for readers that only take a path.
struct InputFile {
  explicit InputFile(std::string_view extension) {
    const std::filesystem::path dir =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    path = dir / ("optscale-fuzz-" + std::to_string(::getpid()) + std::string(extension));
  }
  ~InputFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  std::filesystem::path path;
};

inline const std::filesystem::path& input_file(std::string_view extension) {
  static const InputFile file(extension);
  return file.path;
}

inline const std::filesystem::path& write_input(std::string_view bytes, std::string_view extension) {
  const std::filesystem::path& path = input_file(extension);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

}  // namespace optscale::fuzz
