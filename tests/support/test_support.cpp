#include "test_support.hpp"

#include "optscale/util/error.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace optscale::testing {

std::optional<std::filesystem::path> shared_data_dir() {
  std::filesystem::path dir = OPTSCALE_SHARED_DATA_DEFAULT;
  if (const char* env = std::getenv("OPTSCALE_SHARED_DATA"); env && *env) dir = env;
  if (std::filesystem::is_directory(dir / "optscale-reference")) return dir;
  return std::nullopt;
}

std::filesystem::path test_data_dir() { return OPTSCALE_TEST_DATA_DIR; }

std::filesystem::path optscale_binary() { return OPTSCALE_BINARY; }

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto dir = std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(dir)) return dir;
  }
  throw std::runtime_error("cannot create a temporary directory for " + prefix);
}

static std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string shell_quoted(const std::filesystem::path& path) {
  // Built by appending: GCC 12 misfires -Wrestrict on "'" + std::string&&.
  std::string word = "'";
  for (char c : path.string()) {
    if (c == '\'') word += "'\\''";
    else word += c;
  }
  word += "'";
  return word;
}

CommandResult run_command(const std::string& command_line, const std::string& input) {
  auto dir = make_temp_dir("optscale-cmd");
  auto in_path = dir / "stdin", out_path = dir / "stdout", err_path = dir / "stderr";
  std::ofstream(in_path, std::ios::binary) << input;
  std::string cmd = "(" + command_line + ") <'" + in_path.string() + "' >'" + out_path.string() + "' 2>'" +
                    err_path.string() + "'";
  int status = std::system(cmd.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::filesystem::remove_all(dir);
  return result;
}

CommandResult run_optscale(const std::string& args, const std::string& input) {
  return run_command(shell_quoted(optscale_binary()) + " " + args, input);
}

}  // namespace optscale::testing
