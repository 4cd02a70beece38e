// workday.* — reads from Workday's REST API.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"

namespace sagaflow {

void RegisterWorkdaySteps(StepRegistry& registry) {
  RegisterDeclaredSteps(registry, "workday",
                        {
                            {"get_worker", false, "Reads a worker.",
                             {{"worker_id", ParamType::kString, true, nullptr, ""}}},
                        });
}

}  // namespace sagaflow
