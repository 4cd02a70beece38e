#include "engine/transition_batch.hpp"

namespace sagaflow {

void TransitionBatch::Add(Transition next, const std::string& status_before) {
  status_changes_.emplace_back(status_before, next.status);
  if (count_++ == 0) {
    merged_ = std::move(next);
    return;
  }
  // The run row ends as the last transition leaves it; fields a transition
  // leaves alone keep what an earlier one set.
  merged_.status = next.status;
  merged_.current_step = next.current_step;
  merged_.current_phase = next.current_phase;
  merged_.attention_reason = next.attention_reason;
  if (next.output) merged_.output = std::move(next.output);
  if (next.error) merged_.error = std::move(next.error);
  merged_.clear_command = merged_.clear_command || next.clear_command;
  merged_.finished = merged_.finished || next.finished;
  merged_.release = next.release;
  merged_.wake_at = next.wake_at;
  // A step row is a whole row: the newest version of each replaces older ones.
  for (StepRecord& step : next.steps) {
    bool replaced = false;
    for (StepRecord& existing : merged_.steps) {
      if (existing.step_id == step.step_id && existing.phase == step.phase) {
        existing = std::move(step);
        replaced = true;
        break;
      }
    }
    if (!replaced) merged_.steps.push_back(std::move(step));
  }
  for (HistoryEvent& event : next.events) merged_.events.push_back(std::move(event));
}

void TransitionBatch::Clear() {
  merged_ = Transition{};
  count_ = 0;
  status_changes_.clear();
}

}  // namespace sagaflow
