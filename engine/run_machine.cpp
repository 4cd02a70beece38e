#include "engine/run_machine.hpp"

#include "engine/run_machine_builder.hpp"

namespace sagaflow {

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
          Json{{"message",
                "the previous worker stopped while this step was in progress; "
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
      b.Event(forward ? "step_completed" : "compensation_completed", record.step_id, record.phase,
              record.attempts, Json{{"output", result.output}});
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
        const auto delay =
            result.retry_after
                ? *result.retry_after
                : WithJitter(action.retry.BackoffBefore(record.attempts + 1), action.retry.jitter);
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

void RunMachine::Committed(const Transition& transition) {
  run_ = std::move(pending_);  // pending_ is rebuilt by the next transition
  run_.status = transition.status;
  if (transition.output) run_.output = *transition.output;
  if (transition.error) run_.error = *transition.error;
  if (transition.clear_command) run_.command = nullptr;
  released_ = transition.release;
}

void RunMachine::Abandoned() {
  pending_ = run_;
}

}  // namespace sagaflow
