// Folding transitions into one commit: the folded transition must leave the
// run exactly as applying them one by one would; and which steps the
// executor may fold, as the loader records it per action.
#include <catch2/catch.hpp>

#include "engine/loader.hpp"
#include "engine/transition_batch.hpp"
#include "steps/builtin_steps.hpp"

using namespace sagaflow;

namespace {

StepRecord Step(const std::string& id, const std::string& status, int attempts = 1) {
  StepRecord step;
  step.step_id = id;
  step.status = status;
  step.attempts = attempts;
  return step;
}

HistoryEvent Event(const std::string& type) {
  HistoryEvent event;
  event.type = type;
  return event;
}

}  // namespace

TEST_CASE("a batch folds transitions in order", "[batch]") {
  Transition start;
  start.status = "running";
  start.current_step = "a";
  start.steps = {Step("a", "running")};
  start.events = {Event("run_started"), Event("step_started")};

  Transition a_done;
  a_done.status = "running";
  a_done.current_step = "b";
  a_done.output = Json{{"partial", true}};
  a_done.steps = {Step("a", "completed"), Step("b", "running")};
  a_done.events = {Event("step_completed"), Event("step_started")};

  Transition b_done;
  b_done.status = "completed";
  b_done.current_step = std::nullopt;
  b_done.finished = true;
  b_done.release = true;
  b_done.clear_command = false;
  b_done.steps = {Step("b", "completed", 2)};
  b_done.events = {Event("step_completed"), Event("run_completed")};

  TransitionBatch batch;
  CHECK(batch.empty());
  batch.Add(start, "pending");
  batch.Add(a_done, "running");
  batch.Add(b_done, "running");
  CHECK(batch.count() == 3);

  const Transition& merged = batch.merged();
  CHECK(merged.status == "completed");
  CHECK_FALSE(merged.current_step.has_value());
  CHECK(merged.finished);
  CHECK(merged.release);
  // An output set earlier survives a later transition that leaves it alone.
  REQUIRE(merged.output.has_value());
  CHECK(*merged.output == Json{{"partial", true}});
  CHECK_FALSE(merged.error.has_value());
  // One row per step, each at its newest version, in first-seen order.
  REQUIRE(merged.steps.size() == 2);
  CHECK(merged.steps[0].step_id == "a");
  CHECK(merged.steps[0].status == "completed");
  CHECK(merged.steps[1].step_id == "b");
  CHECK(merged.steps[1].status == "completed");
  CHECK(merged.steps[1].attempts == 2);
  std::vector<std::string> types;
  for (const auto& event : merged.events) types.push_back(event.type);
  CHECK(types == std::vector<std::string>{"run_started", "step_started", "step_completed",
                                          "step_started", "step_completed", "run_completed"});
  CHECK(batch.status_changes() ==
        std::vector<std::pair<std::string, std::string>>{
            {"pending", "running"}, {"running", "running"}, {"running", "completed"}});

  batch.Clear();
  CHECK(batch.empty());
  CHECK(batch.merged().steps.empty());
  CHECK(batch.status_changes().empty());
}

TEST_CASE("a batch keeps a step's phases apart and an operator's clear", "[batch]") {
  Transition fail;
  fail.status = "compensating";
  fail.current_step = "a";
  fail.current_phase = Phase::kCompensate;
  fail.clear_command = true;
  fail.error = Json{{"code", "boom"}};
  StepRecord undo = Step("a", "running");
  undo.phase = Phase::kCompensate;
  fail.steps = {Step("b", "failed"), undo};

  Transition undone;
  undone.status = "compensated";
  undone.finished = true;
  StepRecord undo_done = undo;
  undo_done.status = "completed";
  undone.steps = {undo_done};

  TransitionBatch batch;
  batch.Add(fail, "running");
  batch.Add(undone, "compensating");
  const Transition& merged = batch.merged();
  CHECK(merged.status == "compensated");
  CHECK(merged.clear_command);
  CHECK(merged.current_phase == Phase::kForward);
  REQUIRE(merged.error.has_value());
  CHECK((*merged.error)["code"] == "boom");
  REQUIRE(merged.steps.size() == 2);
  CHECK(merged.steps[1].phase == Phase::kCompensate);
  CHECK(merged.steps[1].status == "completed");
}

TEST_CASE("the loader records which actions change outside state", "[batch][loader]") {
  const auto result = LoadDefinition("flags.yaml", R"(
name: flags
version: 1
steps:
  - {id: noop, uses: core.noop}
  - {id: log, uses: core.log, with: {message: hi}}
  - {id: fail, uses: core.fail, with: {times: 0}}
  - {id: read, uses: http.request, with: {url: "http://127.0.0.1:1/x"}}
  - id: write
    uses: http.request
    with: {url: "http://127.0.0.1:1/x", method: post}
    compensate: {uses: core.noop}
  - id: append
    uses: core.append
    with: {path: /tmp/x}
    compensate: none
)",
                                     BuiltinStepRegistry());
  std::string problems;
  for (const auto& d : result.diagnostics.list()) problems += d.ToText() + "\n";
  REQUIRE(problems == "");
  REQUIRE(result.definition);
  const std::vector<std::pair<std::string, bool>> expected = {
      {"noop", false}, {"log", false},  {"fail", false},
      {"read", false}, {"write", true}, {"append", true},
  };
  for (const auto& [id, changes] : expected) {
    INFO(id);
    const StepDefinition* step = result.definition->FindStep(id);
    REQUIRE(step);
    CHECK(step->action.changes_outside_state == changes);
  }
  CHECK_FALSE(result.definition->FindStep("write")->compensate->changes_outside_state);
}
