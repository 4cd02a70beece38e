#include "engine/definition.hpp"

#include <algorithm>
#include <cmath>

namespace sagaflow {

std::chrono::milliseconds RetryPolicy::BackoffBefore(int next_attempt) const {
  const double factor = std::pow(multiplier, std::max(0, next_attempt - 2));
  const double ms = static_cast<double>(initial_interval.count()) * factor;
  return std::chrono::milliseconds(
      static_cast<long long>(std::min(ms, static_cast<double>(max_interval.count()))));
}

const char* OnFailureName(OnFailure on_failure) {
  switch (on_failure) {
    case OnFailure::kCompensate:
      return "compensate";
    case OnFailure::kPause:
      return "pause";
    case OnFailure::kContinue:
      return "continue";
  }
  return "compensate";
}

const StepDefinition* WorkflowDefinition::FindStep(const std::string& id) const {
  const int index = StepIndex(id);
  return index < 0 ? nullptr : &steps[index];
}

int WorkflowDefinition::StepIndex(const std::string& id) const {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace sagaflow
