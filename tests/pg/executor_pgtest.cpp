// The executor against a real PostgreSQL: states, retries, rollback order,
// operator commands and version pinning, observed through the run history.
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "engine/errors.hpp"
#include "tests/support/engine_harness.hpp"

using namespace sagaflow;
using namespace sagaflow::testing;

namespace {

using Trail = std::vector<std::string>;

const std::set<std::string> kFinal = {"completed", "compensated", "cancelled"};

// Five steps; input.fail.sN = 99 makes step sN fail for good.
// Every step has a compensation, so rollback order is visible in history.
const char* kFiveSteps = R"(
name: five
version: 1
defaults:
  retry: {max_attempts: 2, initial_interval: 10ms, max_interval: 10ms}
steps:
  - id: s1
    uses: core.fail
    with: {times: "${{ default(input.fail.s1, 0) }}", retryable: false}
    compensate: {uses: core.noop, with: {undo: s1}}
  - id: s2
    uses: core.fail
    with: {times: "${{ default(input.fail.s2, 0) }}", retryable: false}
    compensate: {uses: core.noop, with: {undo: s2}}
  - id: s3
    uses: core.fail
    with: {times: "${{ default(input.fail.s3, 0) }}", retryable: false}
    compensate: {uses: core.noop, with: {undo: s3}}
  - id: s4
    uses: core.fail
    with: {times: "${{ default(input.fail.s4, 0) }}", retryable: false}
    compensate: {uses: core.noop, with: {undo: s4}}
  - id: s5
    uses: core.fail
    with: {times: "${{ default(input.fail.s5, 0) }}", retryable: false}
    compensate: {uses: core.noop, with: {undo: s5}}
)";

}  // namespace

TEST_CASE("a run goes pending, running, completed with its output", "[executor]") {
  EngineHarness harness({{"happy.yaml", R"(
name: happy
version: 1
steps:
  - id: greet
    uses: core.noop
    with: {greeting: "hello ${{ input.name }}", n: 3}
  - id: echo
    uses: core.noop
    with: {seen: "${{ steps.greet.output.n }}"}
output:
  greeting: "${{ steps.greet.output.greeting }}"
  n: "${{ steps.echo.output.seen }}"
)"}});
  const std::string id = harness.StartRun("happy", {{"name", "Ada"}});
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.output == Json{{"greeting", "hello Ada"}, {"n", 3}});
  CHECK(harness.EventTrail(id) == Trail{"run_created", "run_started", "step_started",
                                        "step_completed", "step_started", "step_completed",
                                        "run_completed"});
  const StepRecord* greet = run.FindStep("greet", Phase::kForward);
  REQUIRE(greet);
  CHECK(greet->params == Json{{"greeting", "hello Ada"}, {"n", 3}});
  CHECK(greet->attempts == 1);
}

TEST_CASE("a retryable failure is retried with backoff until it succeeds", "[executor]") {
  EngineHarness harness({{"retry.yaml", R"(
name: retry
version: 1
steps:
  - id: flaky
    uses: core.fail
    with: {times: 2, message: "not yet"}
    retry: {max_attempts: 3, initial_interval: 50ms, max_interval: 50ms, jitter: 0}
)"}});
  const std::string id = harness.StartRun("retry");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.FindStep("flaky", Phase::kForward)->attempts == 3);
  const auto history = harness.History(id);
  std::vector<int> failed_attempts;
  for (const auto& event : history) {
    if (event.type == "attempt_failed") {
      failed_attempts.push_back(*event.attempt);
      CHECK(event.data["error"]["message"] == "not yet");
    }
  }
  CHECK(failed_attempts == std::vector<int>{1, 2});
}

TEST_CASE("retries that run out fail the step for good", "[executor]") {
  EngineHarness harness({{"exhaust.yaml", R"(
name: exhaust
version: 1
steps:
  - id: never
    uses: core.fail
    retry: {max_attempts: 2, initial_interval: 10ms, max_interval: 10ms}
)"}});
  const std::string id = harness.StartRun("exhaust");
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "compensated");
  CHECK(run.FindStep("never", Phase::kForward)->attempts == 2);
  CHECK(run.error["step"] == "never");
}

TEST_CASE("a step whose `when` is false is skipped and recorded", "[executor]") {
  EngineHarness harness({{"when.yaml", R"(
name: maybe
version: 1
steps:
  - id: always
    uses: core.noop
  - id: only_pro
    uses: core.noop
    when: "${{ input.plan == 'pro' }}"
  - id: after
    uses: core.noop
    with: {skipped: "${{ steps.only_pro.status }}"}
)"}});
  const std::string free_run = harness.StartRun("maybe", {{"plan", "free"}});
  const std::string pro_run = harness.StartRun("maybe", {{"plan", "pro"}});
  const RunRecord free = harness.WaitFor(free_run, kFinal);
  const RunRecord pro = harness.WaitFor(pro_run, kFinal);
  CHECK(free.FindStep("only_pro", Phase::kForward)->status == "skipped");
  CHECK(free.FindStep("after", Phase::kForward)->output == Json{{"skipped", "skipped"}});
  CHECK(pro.FindStep("only_pro", Phase::kForward)->status == "completed");
  CHECK(harness.StepTrail(free_run, {"step_skipped"}) == Trail{"step_skipped:only_pro"});
}

TEST_CASE("a final failure at each position rolls back exactly the completed steps in reverse",
          "[executor][saga]") {
  EngineHarness harness({{"five.yaml", kFiveSteps}});
  const Trail steps = {"s1", "s2", "s3", "s4", "s5"};
  for (int fail_at = 1; fail_at <= 5; ++fail_at) {
    INFO("failing at s" << fail_at);
    const std::string id =
        harness.StartRun("five", {{"fail", {{"s" + std::to_string(fail_at), 99}}}});
    const RunRecord run = harness.WaitFor(id, kFinal);
    CHECK(run.status == "compensated");
    Trail expected;
    for (int k = fail_at - 1; k >= 1; --k)
      expected.push_back("compensation_completed:s" + std::to_string(k));
    CHECK(harness.StepTrail(id, {"compensation_completed"}) == expected);
    // The failed step itself completed nothing, so it is not compensated.
    CHECK(run.FindStep("s" + std::to_string(fail_at), Phase::kCompensate) == nullptr);
    CHECK(harness.EventTrail(id, {"run_compensating", "run_compensated"}) ==
          Trail{"run_compensating", "run_compensated"});
  }
}

TEST_CASE("a failing compensation leaves the run stuck until an operator retries it",
          "[executor][saga]") {
  EngineHarness harness({{"stuck.yaml", R"(
name: stuck
version: 1
steps:
  - id: book
    uses: core.noop
    compensate:
      uses: core.fail
      with: {times: 1, message: "refund service down"}
      retry: {max_attempts: 1}
  - id: charge
    uses: core.fail
    with: {retryable: false, message: "card declined"}
)"}});
  const std::string id = harness.StartRun("stuck");
  RunRecord run = harness.WaitFor(id, {"stuck"});
  REQUIRE(run.attention_reason);
  CHECK(*run.attention_reason == "compensation of 'book' failed: refund service down");
  CHECK(run.current_step == "book");

  // Wrong state: a stuck run cannot be resumed forward.
  const CommandResult refused = harness.Command(id, "resume", {"paused"});
  CHECK_FALSE(refused.accepted);
  CHECK(refused.status == "stuck");

  const CommandResult retried = harness.Command(id, "retry-compensation", {"stuck"});
  CHECK(retried.accepted);
  run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "compensated");
  CHECK(run.FindStep("book", Phase::kCompensate)->attempts == 2);
  CHECK(harness.EventTrail(id, {"run_stuck", "compensation_retried", "run_compensated"}) ==
        Trail{"run_stuck", "compensation_retried", "run_compensated"});
}

TEST_CASE("mark-resolved finishes a stuck run as compensated", "[executor][saga]") {
  EngineHarness harness({{"resolve.yaml", R"(
name: resolve
version: 1
steps:
  - id: book
    uses: core.noop
    compensate: {uses: core.fail, with: {retryable: false}}
  - id: charge
    uses: core.fail
    with: {retryable: false}
)"}});
  const std::string id = harness.StartRun("resolve");
  harness.WaitFor(id, {"stuck"});
  CHECK(harness.Command(id, "mark-resolved", {"stuck"}).accepted);
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "compensated");
  const auto history = harness.History(id);
  bool recorded = false;
  for (const auto& event : history) {
    if (event.type == "run_marked_resolved") {
      recorded = event.data["actor"] == "tester" && event.data["reason"] == "test mark-resolved";
    }
  }
  CHECK(recorded);
}

TEST_CASE("on_failure: pause waits for resume, which retries the step", "[executor]") {
  EngineHarness harness({{"pause.yaml", R"(
name: pausing
version: 1
steps:
  - id: first
    uses: core.noop
  - id: careful
    uses: core.fail
    with: {times: 1, retryable: false, message: "needs a look"}
    on_failure: pause
  - id: last
    uses: core.noop
)"}});
  const std::string id = harness.StartRun("pausing");
  RunRecord run = harness.WaitFor(id, {"paused"});
  CHECK(*run.attention_reason == "step 'careful' failed: needs a look");
  CHECK(harness.Command(id, "resume", {"paused"}).accepted);
  run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.FindStep("careful", Phase::kForward)->attempts == 2);
  CHECK(harness.EventTrail(id, {"run_paused", "run_resumed", "run_completed"}) ==
        Trail{"run_paused", "run_resumed", "run_completed"});
}

TEST_CASE("skip records the given output for a failed step and goes on", "[executor]") {
  EngineHarness harness({{"skip.yaml", R"(
name: skipping
version: 1
steps:
  - id: lookup
    uses: core.fail
    with: {retryable: false}
    on_failure: pause
  - id: use
    uses: core.noop
    with: {found: "${{ steps.lookup.output.id }}"}
)"}});
  const std::string id = harness.StartRun("skipping");
  harness.WaitFor(id, {"paused"});
  CHECK(
      harness.Command(id, "skip", {"paused", "stuck"}, {{"output", {{"id", "org_42"}}}}).accepted);
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
  CHECK(run.FindStep("use", Phase::kForward)->output == Json{{"found", "org_42"}});
}

TEST_CASE("an operator pause stops after the step in flight; resume continues", "[executor]") {
  EngineHarness harness({{"long.yaml", R"(
name: long
version: 1
steps:
  - id: wait
    uses: core.sleep
    with: {duration: 400ms}
  - id: after
    uses: core.noop
)"}});
  const std::string id = harness.StartRun("long");
  harness.WaitFor(id, {"running"});
  CHECK(harness.Command(id, "pause", {"pending", "running"}).accepted);
  RunRecord run = harness.WaitFor(id, {"paused"});
  CHECK(run.FindStep("after", Phase::kForward) == nullptr);
  CHECK(harness.Command(id, "resume", {"paused"}).accepted);
  run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "completed");
}

TEST_CASE("cancel compensates what completed and ends cancelled", "[executor][saga]") {
  EngineHarness harness({{"cancel.yaml", R"(
name: cancelme
version: 1
steps:
  - id: made
    uses: core.noop
    compensate: {uses: core.noop, with: {undo: made}}
  - id: slow
    uses: core.sleep
    with: {duration: 30s}
    compensate: {uses: core.noop}
  - id: never
    uses: core.noop
)"}});
  const std::string id = harness.StartRun("cancelme");
  harness.WaitFor(id, {"running"});
  // Wait until the run is parked on its timer.
  for (int i = 0; i < 200; ++i) {
    auto run = harness.engine().store().GetRun(id);
    const StepRecord* slow = run->FindStep("slow", Phase::kForward);
    if (slow && slow->status == "waiting") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(harness.Command(id, "cancel", {"pending", "running", "paused"}).accepted);
  const RunRecord run = harness.WaitFor(id, kFinal);
  CHECK(run.status == "cancelled");
  CHECK(harness.StepTrail(id, {"compensation_completed"}) == Trail{"compensation_completed:made"});
  CHECK(run.FindStep("never", Phase::kForward) == nullptr);
}

TEST_CASE("a run finishes on the version it started on after a newer one loads",
          "[executor][versions]") {
  const char* v1 = R"(
name: pinned
version: 1
steps:
  - id: wait
    uses: core.sleep
    with: {duration: 600ms}
  - id: v1_only
    uses: core.noop
)";
  const char* v2 = R"(
name: pinned
version: 2
steps:
  - id: v2_only
    uses: core.noop
)";
  EngineHarness harness({{"pinned.yaml", v1}});
  const std::string old_run = harness.StartRun("pinned");
  harness.WaitFor(old_run, {"running"});
  harness.Redeploy("pinned.yaml", v2);
  const std::string new_run = harness.StartRun("pinned");
  const RunRecord old_done = harness.WaitFor(old_run, kFinal);
  const RunRecord new_done = harness.WaitFor(new_run, kFinal);
  CHECK(old_done.version == 1);
  CHECK(old_done.FindStep("v1_only", Phase::kForward) != nullptr);
  CHECK(new_done.version == 2);
  CHECK(new_done.FindStep("v2_only", Phase::kForward) != nullptr);
}

TEST_CASE("changed content under an existing version number is refused", "[executor][versions]") {
  EngineHarness harness({{"same.yaml", R"(
name: same
version: 1
steps:
  - {id: a, uses: core.noop}
)"}});
  harness.Stop();
  std::ofstream(harness.folder() / "same.yaml") << R"(
name: same
version: 1
steps:
  - {id: b, uses: core.noop}
)";
  CHECK_THROWS_WITH(harness.Start(),
                    Catch::Contains("workflow 'same' version 1 was loaded before with different "
                                    "content"));
}

TEST_CASE("every attempt of a step gets the same idempotency key", "[executor]") {
  const auto folder = MakeTempFolder("sagaflow-keys");
  const std::string file = (folder / "keys.txt").string();
  EngineHarness harness({{"keys.yaml", R"(
name: keys
version: 1
steps:
  - id: write
    uses: core.append
    with: {path: "${{ input.file }}"}
    compensate: none
  - id: flaky
    uses: core.fail
    with: {times: 1}
    retry: {max_attempts: 2, initial_interval: 10ms}
)"}});
  const std::string id = harness.StartRun("keys", {{"file", file}});
  harness.WaitFor(id, kFinal);
  const auto lines = ReadLines(file);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == id + ":write:forward");
  std::filesystem::remove_all(folder);
}
