// The sagaflow CLI against a real server: start a run, list, show, act.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "engine/process.hpp"
#include "tests/support/engine_harness.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;

namespace {

ProcessResult Cli(unsigned short port, std::vector<std::string> args,
                  const std::string& token = "admin-secret-1") {
  std::vector<std::string> argv = {"env", "SAGAFLOW_TOKEN=" + token, SAGAFLOW_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--url");
  argv.push_back("http://127.0.0.1:" + std::to_string(port));
  return RunProcess(argv);
}

}  // namespace

TEST_CASE("the CLI starts, lists, shows and acts on runs", "[cli]") {
  EngineHarness harness({{"cli.yaml", R"(
name: cli_flow
version: 1
input:
  required: [who]
  properties: {who: {type: string}}
steps:
  - id: hello
    uses: core.noop
    with: {greeting: "hi ${{ input.who }}"}
  - id: gate
    uses: core.fail
    with: {times: 1, retryable: false}
    on_failure: pause
)"}});
  const unsigned short port = harness.engine().http_port();
  const auto folder = MakeTempFolder("sagaflow-cli");
  std::ofstream(folder / "input.json") << R"({"who": "Ada"})";

  const ProcessResult started =
      Cli(port, {"start", "cli_flow", "--input", (folder / "input.json").string()});
  INFO(started.output);
  REQUIRE(started.exit_code == 0);
  const std::string id = started.output.substr(0, started.output.find('\n'));
  REQUIRE(id.size() == 36);
  harness.WaitFor(id, {"paused"});

  const ProcessResult shown = Cli(port, {"runs", "show", id, "--json"});
  REQUIRE(shown.exit_code == 0);
  const Json run = Json::parse(shown.output);
  CHECK(run["status"] == "paused");
  CHECK(run["steps"][0]["output"] == Json{{"greeting", "hi Ada"}});

  const ProcessResult table = Cli(port, {"runs", "stuck"});
  CHECK(table.exit_code == 0);
  CHECK(table.output.find(id) != std::string::npos);
  CHECK(table.output.find("step 'gate' failed") != std::string::npos);

  const ProcessResult no_reason = Cli(port, {"runs", "resume", id});
  CHECK(no_reason.exit_code == 2);
  const ProcessResult dry = Cli(port, {"runs", "resume", id, "--reason", "ok", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK(dry.output.find("\"runs_again\"") != std::string::npos);
  CHECK(Cli(port, {"runs", "resume", id, "--reason", "fixed"}).exit_code == 0);
  harness.WaitFor(id, {"completed"});

  const ProcessResult history = Cli(port, {"runs", "history", id});
  CHECK(history.exit_code == 0);
  CHECK(history.output.find("run_resumed") != std::string::npos);

  const ProcessResult refused = Cli(port, {"runs", "cancel", id, "--reason", "late"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("409 wrong_state") != std::string::npos);

  const ProcessResult unauthorized = Cli(port, {"runs", "list"}, "wrong-token-123");
  CHECK(unauthorized.exit_code == 1);
  CHECK(unauthorized.output.find("401 unauthenticated") != std::string::npos);
  std::filesystem::remove_all(folder);
}
