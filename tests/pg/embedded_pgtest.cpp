// `sagaflow serve` without DATABASE_URL: its own PostgreSQL in the data
// folder, reused when already running, stopped when serve stops.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <thread>

#include "engine/embedded_postgres.hpp"
#include "engine/process.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/raw_http.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;
namespace fs = std::filesystem;

namespace {

// Waits for "listening on http://host:port" in the log and returns the port.
unsigned short WaitForPort(ChildProcess& server) {
  const std::regex listening("listening on http://[^:]+:([0-9]+)");
  for (int i = 0; i < 600; ++i) {
    std::smatch match;
    const std::string log = server.Log();
    if (std::regex_search(log, match, listening))
      return static_cast<unsigned short>(std::stoi(match[1]));
    REQUIRE(server.Running());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("serve did not start: " << server.Log());
  return 0;
}

bool ClusterRunning(const fs::path& data_dir) {
  return RunProcess(
             {(PostgresBinDir() / "pg_ctl").string(), "-D", (data_dir / "pg").string(), "status"},
             "postgres")
             .exit_code == 0;
}

}  // namespace

TEST_CASE("serve without DATABASE_URL runs its own PostgreSQL and stops it", "[embedded]") {
  const fs::path folder = MakeTempFolder("sagaflow-embedded");
  const fs::path data = folder / "data";
  const fs::path workflows = folder / "workflows";
  fs::create_directories(workflows);
  std::ofstream(workflows / "hello.yaml")
      << "name: hello\nversion: 1\nsteps:\n  - {id: a, uses: core.noop}\n";
  const std::map<std::string, std::string> env = {{"SAGAFLOW_DATA_DIR", data.string()},
                                                  {"SAGAFLOW_WORKFLOWS", workflows.string()},
                                                  {"SAGAFLOW_LISTEN", "127.0.0.1:0"},
                                                  {"SAGAFLOW_TOKENS", "t:admin:token-123456"}};
  {
    ChildProcess server({SAGAFLOW_BINARY, "serve"}, env, (folder / "serve.log").string());
    const unsigned short port = WaitForPort(server);
    CHECK(fs::exists(data / "pg" / "PG_VERSION"));
    CHECK(ClusterRunning(data));
    const RawResponse started =
        SendJson(port, "POST", "/v1/workflows/hello/runs", "token-123456", Json::object());
    REQUIRE(started.status == 202);
    const std::string id = started.JsonBody()["id"];
    std::string status;
    for (int i = 0; i < 200 && status != "completed"; ++i) {
      status = SendJson(port, "GET", "/v1/runs/" + id, "token-123456").JsonBody()["status"];
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(status == "completed");
    CHECK(Send(port, "GET", "/readyz").status == 200);
    server.Signal(SIGTERM);
    CHECK(server.Wait(std::chrono::seconds(30)) == 0);
  }
  CHECK_FALSE(ClusterRunning(data));

  // A server already running on the folder is reused and left running.
  EmbeddedPostgres outside(data);
  outside.Start();
  REQUIRE(ClusterRunning(data));
  {
    ChildProcess server({SAGAFLOW_BINARY, "serve"}, env, (folder / "serve2.log").string());
    WaitForPort(server);
    server.Signal(SIGTERM);
    CHECK(server.Wait(std::chrono::seconds(30)) == 0);
  }
  CHECK(ClusterRunning(data));
  outside.Stop();
  CHECK_FALSE(ClusterRunning(data));
  fs::remove_all(folder);
}
