// Operator commands applied by the executor that holds the run: pause,
// resume, retry-compensation, skip, cancel and mark-resolved.
#include "engine/run_machine.hpp"

#include "engine/run_machine_builder.hpp"

namespace sagaflow {

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
      b.Event("compensation_skipped_by_operator", done.step_id, Phase::kCompensate, done.attempts,
              data);
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

}  // namespace sagaflow
