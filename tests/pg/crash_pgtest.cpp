// Crash safety with real processes: `sagaflow serve` killed with SIGKILL in
// the middle of a forward step or a compensation, several processes sharing
// one database, and PostgreSQL restarted under a running engine.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <thread>

#include "engine/embedded_postgres.hpp"
#include "engine/errors.hpp"
#include "engine/ids.hpp"
#include "engine/pg_store.hpp"
#include "engine/process.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/engine_harness.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;
namespace fs = std::filesystem;

namespace {

const std::set<std::string> kFinal = {"completed", "compensated", "cancelled"};

// A database, a workflow folder and a scratch folder for step output files.
struct Scene {
  TestDatabase database;
  fs::path workflows = MakeTempFolder("sagaflow-crash-wf");
  fs::path scratch = MakeTempFolder("sagaflow-crash-out");
  PgStore store{database.url(), 2};

  ~Scene() {
    fs::remove_all(workflows);
    fs::remove_all(scratch);
  }

  void Workflow(const std::string& yaml) { std::ofstream(workflows / "w.yaml") << yaml; }

  std::unique_ptr<ChildProcess> Serve(const std::string& name) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{SAGAFLOW_BINARY, "serve"},
        ServeEnvironment(database.url(), workflows.string(), "1s"),
        (scratch / (name + ".log")).string());
  }

  std::string Start(const std::string& workflow, const Json& input) {
    NewRun run;
    run.id = NewUuid();
    run.workflow = workflow;
    run.version = 1;
    run.input = input;
    return store.CreateRun(run, std::chrono::seconds(1)).id;
  }

  // Polls through database restarts: a refused connection is just "not yet".
  std::optional<RunRecord> Get(const std::string& id) {
    try {
      return store.GetRun(id);
    } catch (const StoreUnavailable&) {
      return std::nullopt;
    }
  }

  RunRecord WaitFor(const std::string& id, const std::set<std::string>& statuses,
                    std::chrono::seconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<RunRecord> run;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto current = Get(id)) {
        run = current;
        if (statuses.count(run->status)) return *run;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("run " << id << " stayed " << (run ? run->status : "unknown"));
    return {};
  }

  void WaitForLines(const fs::path& file, size_t count) {
    for (int i = 0; i < 600 && ReadLines(file).size() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(ReadLines(file).size() >= count);
  }
};

bool HasEvent(const std::vector<HistoryEvent>& history, const std::string& type,
              const std::string& step) {
  for (const auto& event : history) {
    if (event.type == type && event.step_id == step) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a process killed mid-step: another takes the run over and repeats only that step",
          "[crash]") {
  Scene scene;
  scene.Workflow(R"(
name: crash
version: 1
steps:
  - id: s1
    uses: core.append
    with: {path: "${{ input.dir }}/s1.txt"}
    compensate: none
  - id: s2
    uses: core.append
    with: {path: "${{ input.dir }}/s2.txt", hold: 3s}
    timeout: 60s
    compensate: none
  - id: s3
    uses: core.append
    with: {path: "${{ input.dir }}/s3.txt"}
    compensate: none
)");
  auto first = scene.Serve("first");
  const std::string id = scene.Start("crash", {{"dir", scene.scratch.string()}});
  scene.WaitForLines(scene.scratch / "s2.txt", 1);
  first->Signal(SIGKILL);
  REQUIRE(first->Wait(std::chrono::seconds(5)) == -SIGKILL);

  auto second = scene.Serve("second");
  const RunRecord run = scene.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(ReadLines(scene.scratch / "s1.txt").size() == 1);
  const auto s2 = ReadLines(scene.scratch / "s2.txt");
  REQUIRE(s2.size() == 2);
  CHECK(s2[0] == id + ":s2:forward");
  CHECK(s2[1] == s2[0]);
  CHECK(ReadLines(scene.scratch / "s3.txt").size() == 1);
  CHECK(run.FindStep("s2", Phase::kForward)->attempts == 2);
  CHECK(HasEvent(scene.store.History(id), "lease_taken_over", "s2"));
}

TEST_CASE("killed after batched side-effect-free steps: they are neither lost nor repeated",
          "[crash][batching]") {
  Scene scene;
  scene.Workflow(R"(
name: crash
version: 1
steps:
  - {id: a, uses: core.noop, with: {n: 1}}
  - {id: b, uses: core.noop, with: {n: "${{ steps.a.output.n }}"}}
  - id: c
    uses: core.append
    with: {path: "${{ input.dir }}/c.txt", hold: 3s}
    timeout: 60s
    compensate: none
  - {id: d, uses: core.noop, with: {n: "${{ steps.b.output.n }}"}}
)");
  auto first = scene.Serve("first");
  const std::string id = scene.Start("crash", {{"dir", scene.scratch.string()}});
  scene.WaitForLines(scene.scratch / "c.txt", 1);
  first->Signal(SIGKILL);
  REQUIRE(first->Wait(std::chrono::seconds(5)) == -SIGKILL);

  auto second = scene.Serve("second");
  const RunRecord run = scene.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.FindStep("a", Phase::kForward)->attempts == 1);
  CHECK(run.FindStep("b", Phase::kForward)->attempts == 1);
  CHECK(run.FindStep("c", Phase::kForward)->attempts == 2);
  CHECK(run.FindStep("d", Phase::kForward)->output == Json{{"n", 1}});
  int completions_of_a = 0;
  for (const auto& event : scene.store.History(id)) {
    if (event.type == "step_completed" && event.step_id == "a") ++completions_of_a;
  }
  CHECK(completions_of_a == 1);
  CHECK(ReadLines(scene.scratch / "c.txt").size() == 2);
}

TEST_CASE("a run busy for longer than its lease keeps it through the heartbeat alone",
          "[crash][lease]") {
  // Commits no longer extend the lease; the scheduler's heartbeat must, or
  // the idle second process would take the run over mid-step.
  Scene scene;
  scene.Workflow(R"(
name: crash
version: 1
defaults:
  timeout: 60s
steps:
  - {id: s1, uses: core.append, with: {path: "${{ input.dir }}/s1.txt", hold: 700ms}, compensate: none}
  - {id: s2, uses: core.append, with: {path: "${{ input.dir }}/s2.txt", hold: 700ms}, compensate: none}
  - {id: s3, uses: core.append, with: {path: "${{ input.dir }}/s3.txt", hold: 700ms}, compensate: none}
  - {id: s4, uses: core.append, with: {path: "${{ input.dir }}/s4.txt", hold: 700ms}, compensate: none}
)");
  auto first = scene.Serve("first");
  const std::string id = scene.Start("crash", {{"dir", scene.scratch.string()}});
  scene.WaitForLines(scene.scratch / "s1.txt", 1);
  auto second = scene.Serve("second");  // ready to take over anything expired
  const RunRecord run = scene.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK_FALSE(HasEvent(scene.store.History(id), "lease_taken_over", "s2"));
  CHECK_FALSE(HasEvent(scene.store.History(id), "lease_taken_over", "s3"));
  for (const char* step : {"s1", "s2", "s3", "s4"}) {
    INFO(step);
    CHECK(ReadLines(scene.scratch / (std::string(step) + ".txt")).size() == 1);
    CHECK(run.FindStep(step, Phase::kForward)->attempts == 1);
  }
}

TEST_CASE("a process killed mid-compensation: another finishes the rollback", "[crash]") {
  Scene scene;
  scene.Workflow(R"(
name: crash
version: 1
steps:
  - id: s1
    uses: core.append
    with: {path: "${{ input.dir }}/s1.txt"}
    compensate:
      uses: core.append
      with: {path: "${{ input.dir }}/undo1.txt", hold: 3s}
      timeout: 60s
  - id: s2
    uses: core.fail
    with: {retryable: false}
)");
  auto first = scene.Serve("first");
  const std::string id = scene.Start("crash", {{"dir", scene.scratch.string()}});
  scene.WaitForLines(scene.scratch / "undo1.txt", 1);
  first->Signal(SIGKILL);
  REQUIRE(first->Wait(std::chrono::seconds(5)) == -SIGKILL);

  auto second = scene.Serve("second");
  const RunRecord run = scene.WaitFor(id, kFinal);
  CHECK(run.status == "compensated");
  CHECK(ReadLines(scene.scratch / "s1.txt").size() == 1);
  const auto undo = ReadLines(scene.scratch / "undo1.txt");
  REQUIRE(undo.size() == 2);
  CHECK(undo[0] == id + ":s1:compensate");
  CHECK(undo[1] == undo[0]);
  CHECK(HasEvent(scene.store.History(id), "lease_taken_over", "s1"));
}

TEST_CASE("SIGTERM lets the step in flight finish and hands the run back at once", "[crash]") {
  Scene scene;
  scene.Workflow(R"(
name: graceful
version: 1
steps:
  - id: slow
    uses: core.append
    with: {path: "${{ input.dir }}/slow.txt", hold: 1s}
    compensate: none
  - id: next
    uses: core.append
    with: {path: "${{ input.dir }}/next.txt"}
    compensate: none
)");
  auto first = scene.Serve("first");
  const std::string id = scene.Start("graceful", {{"dir", scene.scratch.string()}});
  scene.WaitForLines(scene.scratch / "slow.txt", 1);
  first->Signal(SIGTERM);
  CHECK(first->Wait(std::chrono::seconds(10)) == 0);
  const auto run = scene.store.GetRun(id);
  REQUIRE(run);
  CHECK(run->status == "running");
  CHECK(run->FindStep("slow", Phase::kForward)->status == "completed");
  CHECK_FALSE(run->lease_owner.has_value());

  auto second = scene.Serve("second");
  CHECK(scene.WaitFor(id, kFinal).status == "completed");
  CHECK(ReadLines(scene.scratch / "slow.txt").size() == 1);  // not repeated: it had finished
  CHECK(ReadLines(scene.scratch / "next.txt").size() == 1);
}

TEST_CASE("three processes share 300 runs: all finish, no step runs twice", "[crash][scale]") {
  Scene scene;
  scene.Workflow(R"(
name: shared
version: 1
steps:
  - {id: a, uses: core.append, with: {path: "${{ input.file }}"}, compensate: none}
  - {id: b, uses: core.append, with: {path: "${{ input.file }}"}, compensate: none}
  - {id: c, uses: core.append, with: {path: "${{ input.file }}"}, compensate: none}
)");
  std::vector<std::unique_ptr<ChildProcess>> servers;
  for (int i = 0; i < 3; ++i) servers.push_back(scene.Serve("serve" + std::to_string(i)));
  const std::string file = (scene.scratch / "all.txt").string();
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(scene.Start("shared", {{"file", file}}));
  for (const auto& id : ids)
    CHECK(scene.WaitFor(id, kFinal, std::chrono::seconds(60)).status == "completed");

  const auto lines = ReadLines(file);
  CHECK(lines.size() == 900);
  const std::set<std::string> distinct(lines.begin(), lines.end());
  CHECK(distinct.size() == 900);
  CHECK(scene.database.Query("SELECT count(*) FROM run_events WHERE type = 'lease_taken_over'") ==
        "0");
  for (auto& server : servers) server->Signal(SIGTERM);
  for (auto& server : servers) CHECK(server->Wait(std::chrono::seconds(10)) == 0);
}

TEST_CASE("PostgreSQL restarted under a running engine: every run still finishes", "[crash]") {
  Scene scene;
  scene.Workflow(R"(
name: restart
version: 1
steps:
  - {id: a, uses: core.noop}
  - {id: nap, uses: core.sleep, with: {duration: 1s}}
  - {id: b, uses: core.noop}
)");
  auto server = scene.Serve("serve");
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(scene.Start("restart", Json::object()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string dir = TestServerDir();
  const auto restarted = RunProcess({(PostgresBinDir() / "pg_ctl").string(), "-D", dir + "/data",
                                     "-l", dir + "/server.log", "-m", "fast", "-w", "restart"},
                                    "postgres");
  INFO(restarted.output);
  REQUIRE(restarted.exit_code == 0);
  for (const auto& id : ids)
    CHECK(scene.WaitFor(id, kFinal, std::chrono::seconds(60)).status == "completed");
  CHECK(server->Running());
}
