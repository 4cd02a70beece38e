#include "engine/run_machine.hpp"

#include <algorithm>
#include <random>

#include "engine/json_pointer.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

constexpr const char* kCauseFailure = "step_failed";
constexpr const char* kCauseCancel = "cancelled";

Json ErrorJson(const std::string& code, const std::string& message) {
  return Json{{"code", code}, {"message", message}};
}

StepRecord NewStep(const std::string& step_id, Phase phase, const char* status, int attempts = 0,
                   Json params = nullptr) {
  StepRecord record;
  record.step_id = step_id;
  record.phase = phase;
  record.status = status;
  record.attempts = attempts;
  record.params = std::move(params);
  return record;
}

std::chrono::milliseconds WithJitter(std::chrono::milliseconds base, double jitter) {
  if (jitter <= 0 || base.count() == 0) return base;
  thread_local std::mt19937_64 random(std::random_device{}());
  std::uniform_real_distribution<double> spread(1.0 - jitter, 1.0 + jitter);
  return std::chrono::milliseconds(static_cast<long long>(base.count() * spread(random)));
}

}  // namespace

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
    m_.pending_ = state;
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
      StepRecord record = NewStep(step.id, Phase::kForward, step_status::kRunning, 1,
                        std::move(params).value());
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
    StepRecord record = NewStep(definition().steps[index].id, Phase::kForward, step_status::kFailed, 1);
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
      if (current && (current->status == step_status::kRunning ||
                      current->status == step_status::kWaiting)) {
        StepRecord stopped = *current;
        stopped.status = step_status::kFailed;
        stopped.error = ErrorJson("cancelled", "the run was cancelled before this step finished");
        stopped.finished_at = now;
        PutStep(stopped);
      }
    }
    Event(cancel ? "run_cancelling" : "run_compensating", std::nullopt, std::nullopt,
          std::nullopt, Json{{"error", error}});
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
    const StepRecord& target = *undo.front();
    const StepDefinition& step = *definition().FindStep(target.step_id);
    const Json scope = BuildScope(state, m_.environment_, 1);
    auto params = ResolveParams(step.compensate->with, scope, m_.environment_.clock);
    state.current_step = step.id;
    state.current_phase = Phase::kCompensate;
    if (!params) {
      StepRecord failed = NewStep(step.id, Phase::kCompensate, step_status::kFailed, 1);
      failed.error = ErrorJson("bad_parameters", DottedPath("compensate.with", params.error().pointer) +
                                                     ": " + params.error().message);
      failed.started_at = now;
      failed.finished_at = now;
      PutStep(failed);
      BecomeStuck(step.id, failed);
      return;
    }
    StepRecord record = NewStep(step.id, Phase::kCompensate, step_status::kRunning, 1,
                      std::move(params).value());
    record.started_at = now;
    PutStep(record);
    Event("compensation_started", step.id, Phase::kCompensate, 1,
          Json{{"params", record.params}, {"step_outcome_uncertain", target.uncertain}});
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

RunMachine::RunMachine(const WorkflowDefinition& definition, const RunEnvironment& environment,
                       RunRecord run)
    : definition_(definition), environment_(environment), run_(run), pending_(std::move(run)) {}

RunMachine::Next RunMachine::WhatNext() const {
  if (released_) return Next::kIdle;
  if (run_.status == run_status::kPending) return Next::kStart;
  const bool moving = run_.status == run_status::kRunning ||
                      run_.status == run_status::kCompensating ||
                      run_.status == run_status::kCancelling;
  return moving && run_.current_step ? Next::kExecute : Next::kIdle;
}

Transition RunMachine::Start() {
  Builder b(*this);
  b.state.status = run_status::kRunning;
  b.Event("run_started", std::nullopt, std::nullopt, std::nullopt,
          Json{{"workflow", definition_.name}, {"version", definition_.version}});
  b.Advance(0);
  return b.Finish();
}

Transition RunMachine::Takeover() {
  Builder b(*this);
  StepRecord* current =
      run_.current_step ? b.state.FindStep(*run_.current_step, run_.current_phase) : nullptr;
  if (!current) {
    b.Event("lease_taken_over");
    return b.Finish();
  }
  StepRecord record = *current;
  const Action& action = CurrentAction();
  record.uncertain = true;
  b.Event("lease_taken_over", record.step_id, record.phase, record.attempts,
          Json{{"message", "the previous worker stopped while this step was in progress; "
                           "its outcome is unknown"}});
  if (record.attempts >= action.retry.max_attempts) {
    record.status = step_status::kFailed;
    record.error = ErrorJson("worker_lost", "the worker running the last attempt was lost");
    record.finished_at = b.now;
    b.PutStep(record);
    if (record.phase == Phase::kForward) {
      b.FailForward(definition_.StepIndex(record.step_id), record);
    } else {
      b.BecomeStuck(record.step_id, record);
    }
    return b.Finish();
  }
  record.attempts += 1;
  record.status = step_status::kRunning;
  b.PutStep(record);
  return b.Finish();
}

const Action& RunMachine::CurrentAction() const {
  const StepDefinition* step = definition_.FindStep(*run_.current_step);
  return run_.current_phase == Phase::kForward ? step->action : *step->compensate;
}

std::variant<StepContext, StepResult> RunMachine::PrepareAttempt(TimePoint now) const {
  const StepRecord* record = run_.FindStep(*run_.current_step, run_.current_phase);
  const Action& action = CurrentAction();
  StepContext ctx;
  ctx.run_id = run_.id;
  ctx.workflow = run_.workflow;
  ctx.step_id = record->step_id;
  ctx.phase = record->phase;
  ctx.attempt = record->attempts;
  ctx.idempotency_key = IdempotencyKey(run_.id, record->step_id, record->phase);
  ctx.now = now;
  ctx.first_started_at = record->started_at.value_or(now);
  ctx.deadline = now + action.timeout;
  const Json scope = BuildScope(run_, environment_, record->attempts);
  auto params = RenderSecrets(record->params, scope, environment_);
  if (!params) {
    return StepResult::Final("bad_parameters", "with: " + params.error().message);
  }
  ctx.params = std::move(params).value();
  return ctx;
}

Transition RunMachine::OnResult(const StepResult& result, const std::vector<std::string>& logs) {
  Builder b(*this);
  StepRecord record = *b.state.FindStep(*run_.current_step, run_.current_phase);
  const Action& action = CurrentAction();
  const bool forward = record.phase == Phase::kForward;
  for (const auto& line : logs) {
    b.Event("log", record.step_id, record.phase, record.attempts, Json{{"message", line}});
  }
  record.uncertain = record.uncertain || result.outcome_uncertain;
  const Json error = ErrorJson(result.error_code, result.message);

  switch (result.kind) {
    case StepResult::Kind::kCompleted: {
      record.status = step_status::kCompleted;
      record.output = result.output;
      record.error = nullptr;
      record.finished_at = b.now;
      if (forward) record.completed_seq = b.NextCompletedSeq();
      b.PutStep(record);
      b.Event(forward ? "step_completed" : "compensation_completed", record.step_id,
              record.phase, record.attempts, Json{{"output", result.output}});
      if (forward) {
        b.Advance(definition_.StepIndex(record.step_id) + 1);
      } else {
        b.StartNextCompensation();
      }
      return b.Finish();
    }
    case StepResult::Kind::kWaitUntil: {
      record.status = step_status::kWaiting;
      b.PutStep(record);
      b.Event("step_waiting", record.step_id, record.phase, record.attempts,
              Json{{"until", FormatIso(result.wait_until)}});
      b.Release(result.wait_until);
      return b.Finish();
    }
    case StepResult::Kind::kRetryableFailure:
      if (record.attempts < action.retry.max_attempts) {
        const auto delay = result.retry_after
                               ? *result.retry_after
                               : WithJitter(action.retry.BackoffBefore(record.attempts + 1),
                                            action.retry.jitter);
        const TimePoint retry_at = b.now + delay;
        b.Event("attempt_failed", record.step_id, record.phase, record.attempts,
                Json{{"error", error},
                     {"retry_at", FormatIso(retry_at)},
                     {"uncertain", result.outcome_uncertain}});
        record.status = step_status::kWaiting;
        record.error = error;
        record.attempts += 1;
        b.PutStep(record);
        b.Release(retry_at);
        return b.Finish();
      }
      [[fallthrough]];
    case StepResult::Kind::kFinalFailure: {
      record.status = step_status::kFailed;
      record.error = error;
      record.finished_at = b.now;
      b.PutStep(record);
      if (forward) {
        b.FailForward(definition_.StepIndex(record.step_id), record);
      } else {
        b.BecomeStuck(record.step_id, record);
      }
      return b.Finish();
    }
  }
  return b.Finish();
}

std::optional<Transition> RunMachine::ApplyCommand(const Json& command) {
  if (!command.is_object()) return std::nullopt;
  Builder b(*this);
  b.t.clear_command = true;
  const std::string action = command.value("action", "");
  const Json who{{"actor", command.value("actor", "")}, {"reason", command.value("reason", "")}};
  const std::string status = b.state.status;
  StepRecord* current = b.state.current_step
                            ? b.state.FindStep(*b.state.current_step, b.state.current_phase)
                            : nullptr;
  auto ignored = [&] {
    Json data = who;
    data["action"] = action;
    data["status"] = status;
    b.Event("command_ignored", std::nullopt, std::nullopt, std::nullopt, data);
    return b.Finish();
  };
  // The executor may reach the request after the run moved on (e.g. a pause
  // that arrives as the last step completes); such requests are recorded
  // and dropped.
  if (action == "pause") {
    if (status != run_status::kRunning) return ignored();
    b.state.status = run_status::kPaused;
    b.state.attention_reason = "paused by " + command.value("actor", std::string("an operator"));
    b.Event("run_paused", b.state.current_step, std::nullopt, std::nullopt, who);
    b.Release(std::nullopt);
    return b.Finish();
  }
  if (action == "resume") {
    if (status != run_status::kPaused) return ignored();
    b.state.status = run_status::kRunning;
    b.state.attention_reason.reset();
    b.Event("run_resumed", b.state.current_step, std::nullopt, std::nullopt, who);
    if (current && current->status == step_status::kFailed) {
      StepRecord retry = *current;
      retry.status = step_status::kRunning;
      retry.attempts += 1;
      retry.error = nullptr;
      retry.finished_at.reset();
      if (command.contains("params") && command["params"].is_object()) {
        retry.params.merge_patch(command["params"]);
      }
      b.PutStep(retry);
    } else if (!current) {
      b.Advance(0);
    }
    return b.Finish();
  }
  if (action == "retry-compensation") {
    if (status != run_status::kStuck || !current) return ignored();
    b.state.status = b.RollbackWasCancel() ? run_status::kCancelling : run_status::kCompensating;
    b.state.attention_reason.reset();
    StepRecord retry = *current;
    retry.status = step_status::kRunning;
    retry.attempts += 1;
    retry.error = nullptr;
    retry.finished_at.reset();
    b.PutStep(retry);
    b.Event("compensation_retried", retry.step_id, Phase::kCompensate, retry.attempts, who);
    return b.Finish();
  }
  if (action == "skip") {
    if (!current || (status != run_status::kPaused && status != run_status::kStuck)) {
      return ignored();
    }
    StepRecord done = *current;
    done.status = step_status::kCompleted;
    done.output = command.value("output", Json::object());
    done.finished_at = b.now;
    Json data = who;
    data["output"] = done.output;
    if (done.phase == Phase::kForward) {
      done.completed_seq = b.NextCompletedSeq();
      b.PutStep(done);
      b.state.status = run_status::kRunning;
      b.state.attention_reason.reset();
      b.Event("step_skipped_by_operator", done.step_id, Phase::kForward, done.attempts, data);
      b.Advance(definition_.StepIndex(done.step_id) + 1);
    } else {
      b.PutStep(done);
      b.state.status = b.RollbackWasCancel() ? run_status::kCancelling : run_status::kCompensating;
      b.state.attention_reason.reset();
      b.Event("compensation_skipped_by_operator", done.step_id, Phase::kCompensate,
              done.attempts, data);
      b.StartNextCompensation();
    }
    return b.Finish();
  }
  if (action == "cancel") {
    if (status != run_status::kPending && status != run_status::kRunning &&
        status != run_status::kPaused) {
      return ignored();
    }
    b.Event("run_cancel_requested", std::nullopt, std::nullopt, std::nullopt, who);
    b.BeginRollback(kCauseCancel, Json{{"cause", kCauseCancel},
                                       {"actor", command.value("actor", "")},
                                       {"reason", command.value("reason", "")}});
    return b.Finish();
  }
  if (action == "mark-resolved") {
    if (status != run_status::kStuck) return ignored();
    if (current) {
      StepRecord resolved = *current;
      resolved.status = step_status::kCompleted;
      resolved.output = Json{{"resolved_by", command.value("actor", "")}};
      resolved.finished_at = b.now;
      b.PutStep(resolved);
    }
    b.Event("run_marked_resolved", b.state.current_step, std::nullopt, std::nullopt, who);
    b.state.status = b.RollbackWasCancel() ? run_status::kCancelling : run_status::kCompensating;
    b.FinishRollback();
    return b.Finish();
  }
  return ignored();
}

void RunMachine::Committed(const Transition& transition) {
  run_ = pending_;
  run_.status = transition.status;
  if (transition.output) run_.output = *transition.output;
  if (transition.error) run_.error = *transition.error;
  if (transition.clear_command) run_.command = nullptr;
  released_ = transition.release;
}

void RunMachine::Abandoned() { pending_ = run_; }

}  // namespace sagaflow
