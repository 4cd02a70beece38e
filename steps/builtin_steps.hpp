// The one visible list of built-in step families. A new family is added here
// and nowhere else.
#pragma once

#include "engine/step_registry.hpp"

namespace sagaflow {

void RegisterBuiltinSteps(StepRegistry& registry);

// A registry filled with every built-in family, built once per process.
const StepRegistry& BuiltinStepRegistry();

// Families, one file each under steps/.
void RegisterCoreSteps(StepRegistry& registry);
void RegisterHttpSteps(StepRegistry& registry);
void RegisterScalekitSteps(StepRegistry& registry);
void RegisterSalesforceSteps(StepRegistry& registry);
void RegisterStripeSteps(StepRegistry& registry);
void RegisterWorkdaySteps(StepRegistry& registry);

}  // namespace sagaflow
