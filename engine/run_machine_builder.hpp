// Internal to the run state machine: the builder that accumulates one
// Transition while applying each change to a working copy of the run, so
// later decisions inside the same transition see earlier ones. It holds the
// forward (advance, skip, fail) and rollback (compensate, stuck) rules that
// RunMachine's entry points share. Not for use outside engine/run_machine*.cpp.
#pragma once

#include <algorithm>
#include <random>

#include "engine/json_pointer.hpp"
#include "engine/run_machine.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
inline constexpr const char* kCauseFailure = "step_failed";
inline constexpr const char* kCauseCancel = "cancelled";

inline Json ErrorJson(const std::string& code, const std::string& message) {
  return Json{{"code", code}, {"message", message}};
}

inline StepRecord NewStep(const std::string& step_id, Phase phase, const char* status,
                          int attempts = 0, Json params = nullptr) {
  StepRecord record;
  record.step_id = step_id;
  record.phase = phase;
  record.status = status;
  record.attempts = attempts;
  record.params = std::move(params);
  return record;
}

inline std::chrono::milliseconds WithJitter(std::chrono::milliseconds base, double jitter) {
  if (jitter <= 0 || base.count() == 0) return base;
  thread_local std::mt19937_64 random(std::random_device{}());
  std::uniform_real_distribution<double> spread(1.0 - jitter, 1.0 + jitter);
  return std::chrono::milliseconds(static_cast<long long>(base.count() * spread(random)));
}

// Accumulates one transition: every change is applied to a working copy of
// the run (so later decisions in the same transition see it) and recorded in
// the Transition that will be committed.
class RunMachine::Builder {
 public:
  Builder(RunMachine& machine)
      : m_(machine), state(machine.run_), now(machine.environment_.clock()) {}

  RunMachine& m_;
  RunRecord state;
  Transition t;
  TimePoint now;

  const WorkflowDefinition& definition() const { return m_.definition_; }

  void PutStep(const StepRecord& record) {
    if (StepRecord* existing = state.FindStep(record.step_id, record.phase)) {
      *existing = record;
    } else {
      state.steps.push_back(record);
    }
    for (auto& written : t.steps) {
      if (written.step_id == record.step_id && written.phase == record.phase) {
        written = record;
        return;
      }
    }
    t.steps.push_back(record);
  }

  void Event(const std::string& type, std::optional<std::string> step = std::nullopt,
             std::optional<Phase> phase = std::nullopt, std::optional<int> attempt = std::nullopt,
             Json data = Json::object()) {
    HistoryEvent event;
    event.type = type;
    event.step_id = std::move(step);
    event.phase = phase;
    event.attempt = attempt;
    event.data = std::move(data);
    t.events.push_back(std::move(event));
  }

  void Release(std::optional<TimePoint> wake_at) {
    t.release = true;
    t.wake_at = wake_at;
  }

  Transition Finish() {
    t.status = state.status;
    t.current_step = state.current_step;
    t.current_phase = state.current_phase;
    t.attention_reason = state.attention_reason;
    m_.pending_ = std::move(state);  // the builder is done with it
    return t;
  }

  int NextCompletedSeq() const {
    int seq = 0;
    for (const auto& step : state.steps) seq = std::max(seq, step.completed_seq.value_or(0));
    return seq + 1;
  }

  // -- forward ------------------------------------------------------------

  // Starts the first step at or after `index` whose `when` holds, skipping
  // the others; completes the run when none is left.
  void Advance(size_t index) {
    const auto& steps = definition().steps;
    for (; index < steps.size(); ++index) {
      const StepDefinition& step = steps[index];
      const Json scope = BuildScope(state, m_.environment_, 1);
      if (step.when) {
        auto holds = step.when->render(EvalContext{scope, m_.environment_.clock});
        if (!holds || !holds.value().is_boolean()) {
          const std::string message =
              !holds ? holds.error().message
                     : "when: expected true or false, got " + holds.value().dump();
          FailBeforeStart(index, ErrorJson("bad_when", "when: " + message));
          return;
        }
        if (!holds.value().get<bool>()) {
          StepRecord skipped = NewStep(step.id, Phase::kForward, step_status::kSkipped);
          skipped.finished_at = now;
          PutStep(skipped);
          Event("step_skipped", step.id, Phase::kForward, std::nullopt,
                Json{{"when", step.when->source()}});
          continue;
        }
      }
      auto params = ResolveParams(step.action.with, scope, m_.environment_.clock);
      if (!params) {
        const auto& error = params.error();
        FailBeforeStart(index, ErrorJson("bad_parameters",
                                         DottedPath("with", error.pointer) + ": " + error.message));
        return;
      }
      StepRecord record =
          NewStep(step.id, Phase::kForward, step_status::kRunning, 1, std::move(params).value());
      record.started_at = now;
      PutStep(record);
      Event("step_started", step.id, Phase::kForward, 1, Json{{"params", record.params}});
      state.current_step = step.id;
      state.current_phase = Phase::kForward;
      return;
    }
    CompleteRun();
  }

  void CompleteRun() {
    state.current_step.reset();
    Json output = Json::object();
    if (definition().has_output) {
      const Json scope = BuildScope(state, m_.environment_, 1);
      auto rendered = definition().output.render(EvalContext{scope, m_.environment_.clock});
      if (!rendered) {
        const Json error = ErrorJson("bad_output", DottedPath("output", rendered.error().pointer) +
                                                       ": " + rendered.error().message);
        Event("output_failed", std::nullopt, std::nullopt, std::nullopt, Json{{"error", error}});
        BeginRollback(kCauseFailure, error);
        return;
      }
      output = std::move(rendered).value();
    }
    state.status = run_status::kCompleted;
    t.output = output;
    t.finished = true;
    Event("run_completed", std::nullopt, std::nullopt, std::nullopt, Json{{"output", output}});
    Release(std::nullopt);
  }

  // A step that could not even start (bad `when` or parameters) fails for
  // good at once.
  void FailBeforeStart(size_t index, const Json& error) {
    StepRecord record =
        NewStep(definition().steps[index].id, Phase::kForward, step_status::kFailed, 1);
    record.error = error;
    record.started_at = now;
    record.finished_at = now;
    PutStep(record);
    state.current_step = record.step_id;
    state.current_phase = Phase::kForward;
    FailForward(index, record);
  }

  // The forward step at `index` failed for good: follow its on_failure.
  void FailForward(size_t index, const StepRecord& record) {
    const StepDefinition& step = definition().steps[index];
    Event("step_failed", step.id, Phase::kForward, record.attempts,
          Json{{"error", record.error},
               {"uncertain", record.uncertain},
               {"on_failure", OnFailureName(step.on_failure)}});
    switch (step.on_failure) {
      case OnFailure::kContinue:
        Advance(index + 1);
        return;
      case OnFailure::kPause:
        state.status = run_status::kPaused;
        state.attention_reason = "step '" + step.id + "' failed: " +
                                 record.error.value("message", std::string("unknown error"));
        t.error = Json{{"cause", kCauseFailure}, {"step", step.id}, {"error", record.error}};
        Event("run_paused", step.id, Phase::kForward, std::nullopt,
              Json{{"reason", *state.attention_reason}});
        Release(std::nullopt);
        return;
      case OnFailure::kCompensate:
        BeginRollback(kCauseFailure,
                      Json{{"cause", kCauseFailure}, {"step", step.id}, {"error", record.error}});
        return;
    }
  }

  // -- rollback -----------------------------------------------------------

  void BeginRollback(const std::string& cause, const Json& error) {
    const bool cancel = cause == kCauseCancel;
    state.status = cancel ? run_status::kCancelling : run_status::kCompensating;
    state.attention_reason.reset();
    t.error = error;
    state.error = error;
    // A step started but not finished (cancelled while waiting for a retry,
    // say) did not complete; it is compensated only if its outcome is unknown.
    if (state.current_step && state.current_phase == Phase::kForward) {
      StepRecord* current = state.FindStep(*state.current_step, Phase::kForward);
      if (current &&
          (current->status == step_status::kRunning || current->status == step_status::kWaiting)) {
        StepRecord stopped = *current;
        stopped.status = step_status::kFailed;
        stopped.error = ErrorJson("cancelled", "the run was cancelled before this step finished");
        stopped.finished_at = now;
        PutStep(stopped);
      }
    }
    Event(cancel ? "run_cancelling" : "run_compensating", std::nullopt, std::nullopt, std::nullopt,
          Json{{"error", error}});
    StartNextCompensation();
  }

  // The forward steps still to undo, newest first: completed ones in reverse
  // completion order, preceded by any whose outcome is unknown.
  std::vector<const StepRecord*> StepsToUndo() const {
    std::vector<const StepRecord*> undo;
    for (const auto& record : state.steps) {
      if (record.phase != Phase::kForward) continue;
      const StepDefinition* step = definition().FindStep(record.step_id);
      if (!step || !step->compensate) continue;
      const bool done = record.status == step_status::kCompleted;
      const bool maybe = record.status == step_status::kFailed && record.uncertain;
      if (!done && !maybe) continue;
      const StepRecord* undone = state.FindStep(record.step_id, Phase::kCompensate);
      if (undone && undone->status == step_status::kCompleted) continue;
      undo.push_back(&record);
    }
    std::sort(undo.begin(), undo.end(), [](const StepRecord* a, const StepRecord* b) {
      const int sa = a->completed_seq.value_or(1 << 30);  // unknown outcomes are newest
      const int sb = b->completed_seq.value_or(1 << 30);
      return sa > sb;
    });
    return undo;
  }

  void StartNextCompensation() {
    const auto undo = StepsToUndo();
    if (undo.empty()) {
      FinishRollback();
      return;
    }
    // Copy what is needed: PutStep below may reallocate the rows `undo` points into.
    const std::string target_id = undo.front()->step_id;
    const bool target_uncertain = undo.front()->uncertain;
    const StepDefinition& step = *definition().FindStep(target_id);
    const Json scope = BuildScope(state, m_.environment_, 1);
    auto params = ResolveParams(step.compensate->with, scope, m_.environment_.clock);
    state.current_step = step.id;
    state.current_phase = Phase::kCompensate;
    if (!params) {
      StepRecord failed = NewStep(step.id, Phase::kCompensate, step_status::kFailed, 1);
      failed.error =
          ErrorJson("bad_parameters", DottedPath("compensate.with", params.error().pointer) + ": " +
                                          params.error().message);
      failed.started_at = now;
      failed.finished_at = now;
      PutStep(failed);
      BecomeStuck(step.id, failed);
      return;
    }
    StepRecord record =
        NewStep(step.id, Phase::kCompensate, step_status::kRunning, 1, std::move(params).value());
    record.started_at = now;
    PutStep(record);
    Event("compensation_started", step.id, Phase::kCompensate, 1,
          Json{{"params", record.params}, {"step_outcome_uncertain", target_uncertain}});
  }

  void FinishRollback() {
    const bool cancel = state.status == run_status::kCancelling;
    state.status = cancel ? run_status::kCancelled : run_status::kCompensated;
    state.current_step.reset();
    state.attention_reason.reset();
    t.finished = true;
    Event(cancel ? "run_cancelled" : "run_compensated");
    Release(std::nullopt);
  }

  void BecomeStuck(const std::string& step_id, const StepRecord& failed) {
    state.status = run_status::kStuck;
    state.attention_reason = "compensation of '" + step_id + "' failed: " +
                             failed.error.value("message", std::string("unknown error"));
    Event("compensation_failed", step_id, Phase::kCompensate, failed.attempts,
          Json{{"error", failed.error}});
    Event("run_stuck", step_id, Phase::kCompensate, std::nullopt,
          Json{{"reason", *state.attention_reason}});
    Release(std::nullopt);
  }

  bool RollbackWasCancel() const {
    return state.error.is_object() && state.error.value("cause", "") == kCauseCancel;
  }
};

}  // namespace sagaflow
