// Which transitions share a commit. A run started through the executor is
// created already started; steps that change nothing outside the run
// (core.noop, core.fail, core.log) are committed together; a step that does
// change outside state runs only once everything before it is durable.
// Commits are told apart by the transaction id (xmin) that wrote each
// history event, read straight from PostgreSQL.
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "engine/ids.hpp"
#include "tests/support/engine_harness.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;

namespace {

const std::set<std::string> kFinal = {"completed", "compensated", "cancelled", "stuck"};

// The run's history as commits: "type:step,type:step | next commit | ...".
std::string Commits(EngineHarness& harness, const std::string& run_id) {
  return harness.database().Query(
      "SELECT string_agg(events, ' | ' ORDER BY first) FROM ("
      "  SELECT min(id) AS first,"
      "         string_agg(type || coalesce(':' || step_id, ''), ',' ORDER BY id) AS events"
      "  FROM run_events WHERE run_id = '" +
      run_id + "' GROUP BY xmin::text) AS commits");
}

}  // namespace

TEST_CASE("side-effect-free steps share one commit", "[executor][batching]") {
  EngineHarness harness({{"noops.yaml", R"(
name: noops
version: 1
steps:
  - {id: a, uses: core.noop, with: {n: 1}}
  - {id: b, uses: core.noop, with: {n: "${{ steps.a.output.n }}", m: 2}}
  - {id: c, uses: core.log, with: {message: "b said ${{ steps.b.output.n }}"}}
output:
  n: "${{ steps.b.output.n }}"
)"}});
  const std::string id = harness.StartRun("noops");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.output == Json{{"n", 1}});
  CHECK(Commits(harness, id) ==
        "run_created,run_started,step_started:a | step_completed:a,step_started:b,"
        "step_completed:b,step_started:c,log:c,step_completed:c,run_completed");
  // The run row and every step row were written by the second commit.
  CHECK(harness.database().Query("SELECT count(DISTINCT xmin::text) FROM ("
                                 "  SELECT xmin FROM runs WHERE id = '" +
                                 id +
                                 "' UNION ALL"
                                 "  SELECT xmin FROM run_steps WHERE run_id = '" +
                                 id + "') AS rows") == "1");
  for (const char* step : {"a", "b", "c"}) {
    CHECK(run.FindStep(step, Phase::kForward)->attempts == 1);
  }
}

TEST_CASE("a step that changes outside state starts only after earlier steps are durable",
          "[executor][batching]") {
  const auto scratch = MakeTempFolder("sagaflow-batching");
  EngineHarness harness({{"mixed.yaml", R"(
name: mixed
version: 1
steps:
  - {id: a, uses: core.noop}
  - id: b
    uses: core.append
    with: {path: "${{ input.dir }}/b.txt", hold: 1500ms}
    compensate: none
  - {id: c, uses: core.noop}
  - id: d
    uses: core.append
    with: {path: "${{ input.dir }}/d.txt"}
    compensate: none
)"}});
  const std::string id = harness.StartRun("mixed", {{"dir", scratch.string()}});
  for (int i = 0; i < 500 && ReadLines(scratch / "b.txt").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(ReadLines(scratch / "b.txt").size() == 1);
  // While b holds its worker, what led up to it is already in the database.
  CHECK(harness.database().Query("SELECT string_agg(step_id || '=' || status, ',' ORDER BY "
                                 "step_id) FROM run_steps WHERE run_id = '" +
                                 id + "'") == "a=completed,b=running");
  CHECK(harness.database().Query("SELECT status || ' ' || current_step FROM runs WHERE id = '" +
                                 id + "'") == "running b");

  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(Commits(harness, id) ==
        "run_created,run_started,step_started:a | step_completed:a,step_started:b | "
        // b's result is durable before c runs, although c changes nothing:
        // a crash must not make b run again.
        "step_completed:b,step_started:c | step_completed:c,step_started:d | "
        "step_completed:d,run_completed");
  std::filesystem::remove_all(scratch);
}

TEST_CASE("a rollback of side-effect-free steps commits with the failure", "[executor][batching]") {
  EngineHarness harness({{"saga.yaml", R"(
name: saga
version: 1
steps:
  - {id: s1, uses: core.noop, compensate: {uses: core.noop}}
  - {id: s2, uses: core.noop, compensate: {uses: core.noop}}
  - {id: s3, uses: core.fail, with: {times: 9, retryable: false}}
)"}});
  const std::string id = harness.StartRun("saga");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "compensated");
  const std::string commits = Commits(harness, id);
  // Two commits: the creation (which starts s1), then everything else.
  CHECK(commits.find(" | ") == commits.rfind(" | "));
  CHECK(harness.StepTrail(id, {"step_completed", "step_failed", "compensation_completed"}) ==
        std::vector<std::string>{"step_completed:s1", "step_completed:s2", "step_failed:s3",
                                 "compensation_completed:s2", "compensation_completed:s1"});
}

TEST_CASE("a retry backoff ends the batch: the wait is durable before the run is let go",
          "[executor][batching]") {
  EngineHarness harness({{"retry.yaml", R"(
name: retry
version: 1
steps:
  - {id: a, uses: core.noop}
  - id: b
    uses: core.fail
    with: {times: 1}
    retry: {max_attempts: 2, initial_interval: 300ms, max_interval: 300ms, jitter: 0}
)"}});
  const std::string id = harness.StartRun("retry");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(Commits(harness, id) ==
        "run_created,run_started,step_started:a | step_completed:a,step_started:b,"
        "attempt_failed:b | step_completed:b,run_completed");
}

TEST_CASE("a run created without an owner (webhook, schedule) starts in the claiming commit",
          "[executor][batching]") {
  EngineHarness harness({{"noops.yaml", R"(
name: noops
version: 1
steps:
  - {id: a, uses: core.noop}
  - {id: b, uses: core.noop}
)"}});
  NewRun run;
  run.id = NewUuid();
  run.workflow = "noops";
  run.version = 1;
  run.input = Json::object();
  harness.engine().store().CreateRun(run, std::chrono::seconds(2));
  const RunRecord finished = harness.WaitFor(run.id, kFinal);
  CHECK(finished.status == "completed");
  CHECK(Commits(harness, run.id) ==
        "run_created | run_started,step_started:a,step_completed:a,step_started:b,"
        "step_completed:b,run_completed");
}

TEST_CASE("a start that fails at once is not folded into the creation", "[executor][batching]") {
  EngineHarness harness({{"broken.yaml", R"(
name: broken
version: 1
steps:
  - {id: a, uses: core.noop, with: {v: "${{ input.missing.path }}"}}
)"}});
  const std::string id = harness.StartRun("broken");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "compensated");
  const std::string commits = Commits(harness, id);
  INFO(commits);
  CHECK(commits.rfind("run_created | run_started", 0) == 0);
}

TEST_CASE("a run started here keeps its lease past the lease time while the scheduler is idle",
          "[executor][lease]") {
  const auto scratch = MakeTempFolder("sagaflow-lease");
  HarnessOptions options;
  options.lease = std::chrono::milliseconds(900);
  EngineHarness harness({{"long.yaml", R"(
name: long
version: 1
steps:
  - id: a
    uses: core.append
    with: {path: "${{ input.dir }}/a.txt", hold: 2500ms}
    timeout: 60s
    compensate: none
)"}},
                        options);
  // Let the scheduler find nothing to do and go to sleep first.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::string id = harness.StartRun("long", {{"dir", scratch.string()}});
  for (int i = 0; i < 500 && ReadLines(scratch / "a.txt").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the first lease
  CHECK(harness.database().Query("SELECT (due_at > now())::text FROM runs WHERE id = '" + id +
                                 "'") == "true");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.FindStep("a", Phase::kForward)->attempts == 1);
  CHECK(ReadLines(scratch / "a.txt").size() == 1);
  std::filesystem::remove_all(scratch);
}
