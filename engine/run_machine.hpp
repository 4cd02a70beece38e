// The run state machine: given a run as stored and its definition, computes
// the Transition each event leads to — a step result, an operator command, a
// takeover — exactly as DESIGN.md's states say. It does no I/O: the executor
// commits each Transition (alone, or folded with the next ones into one
// commit, see engine/transition_batch.hpp) and calls Committed().
//
//   pending -> running -> completed
//   running -> compensating -> compensated
//   running -> paused -> running                   (on_failure: pause, or operator)
//   compensating -> stuck -> compensating | compensated (operator)
//   any non-terminal -> cancelling -> cancelled   (operator cancel)
//
// One RunMachine belongs to the one worker thread holding the run's lease.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/definition.hpp"
#include "engine/run_model.hpp"
#include "engine/run_scope.hpp"

namespace sagaflow {

class RunMachine {
 public:
  RunMachine(const WorkflowDefinition& definition, const RunEnvironment& environment,
             RunRecord run);

  enum class Next {
    kStart,    // pending: begin the first step
    kExecute,  // a step attempt is due: PrepareAttempt, run it, OnResult
    kIdle,     // nothing to do under this lease (waiting, paused, stuck, finished)
  };
  Next WhatNext() const;

  // pending -> running, starting the first step that runs.
  Transition Start();
  // The previous lease holder vanished while a step was in progress: the
  // step's outcome is unknown; count the attempt and try it again.
  Transition Takeover();
  // The context for the current step's attempt, or the result to record
  // without calling the step (e.g. a secret that cannot be rendered).
  std::variant<StepContext, StepResult> PrepareAttempt(TimePoint now) const;
  const Action& CurrentAction() const;
  // The outcome of the current step's attempt. `logs` are core.log lines.
  Transition OnResult(const StepResult& result, const std::vector<std::string>& logs = {});
  // An operator's request ({action, actor, reason, ...}); nullopt when there
  // is none to apply.
  std::optional<Transition> ApplyCommand(const Json& command);

  // The transition returned last is accepted: it becomes the state. The
  // executor has committed it, or will commit it with the next ones before
  // anything outside the run can depend on it.
  void Committed(const Transition& transition);
  // The transition could not be committed: forget it.
  void Abandoned();

  const RunRecord& run() const { return run_; }
  bool released() const { return released_; }

 private:
  class Builder;

  const WorkflowDefinition& definition_;
  const RunEnvironment& environment_;
  RunRecord run_;      // as committed
  RunRecord pending_;  // as it will be once the last transition commits
  bool released_ = false;
};

}  // namespace sagaflow
