// `optscale serve` with the official OpenAI Node SDK as its client
// (tests/node/client_test.mjs): chat, streaming, the SDK's timeout and
// AbortController, an unknown model, pass-through of the rest of the API, a
// stream during SIGTERM. The real binary and the real mock on 127.0.0.1.
// Needs node and `npm ci` in tests/node (scripts/setup.sh does both); skips
// with a message saying so when they are missing.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "child_process.hpp"
#include "test_support.hpp"

namespace optscale::testing {
namespace {

using namespace std::chrono_literals;

std::filesystem::path node_dir() { return test_data_dir().parent_path() / "node"; }

TEST(NodeClient, TheOfficialOpenAISdkWorksAgainstTheProxy) {
  if (run_command("node --version").exit_code != 0)
    GTEST_SKIP() << "node is not installed: scripts/setup.sh installs it (Debian package nodejs)";
  if (!std::filesystem::exists(node_dir() / "node_modules" / "openai" / "package.json"))
    GTEST_SKIP() << "the openai npm package is not installed: run `npm ci` in tests/node (scripts/setup.sh does)";

  const auto dir = make_temp_dir("serve-node");
  // Held where the script needs a request in flight (an impatient client, a
  // stream during SIGTERM), else at once.
  MockServerProcess mock(dir, test_data_dir() / "serve" / "pool.jsonl", {"--model", "mock", "--hold"});
  std::ofstream(dir / "proxy.key") << "sk-node-test\n";
  const auto port_file = dir / "serve.port";
  ChildProcess serve({"serve", "--upstream", mock.root() + "/v1", "--scorer", mock.root(), "--scorer-model", "mock",
                      "--model", "mock", "--port", "0", "--port-file", port_file.string(), "--api-key-file",
                      (dir / "proxy.key").string(), "--metrics", "--max-concurrent", "1", "--n-mode", "single",
                      "--upstream-in-flight", "1", "--shutdown-grace", "30"},
                     dir / "serve.out", dir / "serve.err");
  for (int i = 0; i < 2000 && !std::filesystem::exists(port_file); ++i) {
    ASSERT_FALSE(serve.exited()) << read_text(dir / "serve.err");
    std::this_thread::sleep_for(10ms);
  }
  int port = 0;
  std::ifstream(port_file) >> port;
  ASSERT_GT(port, 0);

  const std::string command = "cd " + shell_quoted(node_dir()) + " && PROXY_URL=http://127.0.0.1:" +
                              std::to_string(port) + "/v1 PROXY_KEY=sk-node-test MOCK_URL=" + mock.root() +
                              " SERVE_PID=" + std::to_string(serve.pid()) +
                              " SERVE_LOG=" + shell_quoted(dir / "serve.err") +
                              " PROBLEM='Compute the sum of the first 10 positive integers.' node client_test.mjs";
  const CommandResult result = run_command(command);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err << "\nproxy log:\n" << read_text(dir / "serve.err");
  EXPECT_NE(result.out.find("all checks passed"), std::string::npos) << result.out;
  // The script ends with SIGTERM: the proxy drains and exits cleanly. (A
  // script that failed earlier never sent it, and a mock may still hold.)
  if (result.exit_code != 0) {
    serve.signal(SIGTERM);
    mock.process().signal(SIGTERM);
  }
  EXPECT_EQ(serve.wait(), 0) << read_text(dir / "serve.err");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optscale::testing
