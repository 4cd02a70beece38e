#include "steps/builtin_steps.hpp"

namespace sagaflow {

void RegisterBuiltinSteps(StepRegistry& registry) {
  RegisterCoreSteps(registry);
  RegisterHttpSteps(registry);
  RegisterScalekitSteps(registry);
  RegisterSalesforceSteps(registry);
  RegisterStripeSteps(registry);
  RegisterWorkdaySteps(registry);
}

const StepRegistry& BuiltinStepRegistry() {
  static const StepRegistry registry = [] {
    StepRegistry r;
    RegisterBuiltinSteps(r);
    return r;
  }();
  return registry;
}

}  // namespace sagaflow
