#include "engine/run_model.hpp"

namespace sagaflow {
namespace run_status {

bool IsTerminal(const std::string& status) {
  return status == kCompleted || status == kCompensated || status == kCancelled;
}

bool IsKnown(const std::string& status) {
  for (const char* known : {kPending, kRunning, kCompleted, kCompensating, kCompensated, kPaused,
                            kStuck, kCancelling, kCancelled}) {
    if (status == known) return true;
  }
  return false;
}

}  // namespace run_status

StepRecord* RunRecord::FindStep(const std::string& step_id, Phase phase) {
  for (auto& step : steps) {
    if (step.step_id == step_id && step.phase == phase) return &step;
  }
  return nullptr;
}

const StepRecord* RunRecord::FindStep(const std::string& step_id, Phase phase) const {
  return const_cast<RunRecord*>(this)->FindStep(step_id, phase);
}

}  // namespace sagaflow
