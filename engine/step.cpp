#include "engine/step.hpp"

namespace sagaflow {

const char* PhaseName(Phase phase) {
  return phase == Phase::kForward ? "forward" : "compensate";
}

StepResult StepResult::Completed(Json output) {
  StepResult result;
  result.output = std::move(output);
  return result;
}

StepResult StepResult::Retryable(std::string code, std::string message) {
  StepResult result;
  result.kind = Kind::kRetryableFailure;
  result.error_code = std::move(code);
  result.message = std::move(message);
  return result;
}

StepResult StepResult::Final(std::string code, std::string message) {
  StepResult result;
  result.kind = Kind::kFinalFailure;
  result.error_code = std::move(code);
  result.message = std::move(message);
  return result;
}

StepResult StepResult::WaitUntil(TimePoint when) {
  StepResult result;
  result.kind = Kind::kWaitUntil;
  result.wait_until = when;
  return result;
}

}  // namespace sagaflow
