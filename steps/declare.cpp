#include "steps/declare.hpp"

namespace sagaflow {

void RegisterDeclaredSteps(StepRegistry& registry, const std::string& family,
                           const std::vector<StepDeclaration>& declarations) {
  for (const auto& declaration : declarations) {
    StepType type;
    type.name = family + "." + declaration.name;
    type.description = declaration.description;
    if (declaration.output && *declaration.output) {
      type.description += std::string(" Output: ") + declaration.output;
    }
    type.params = declaration.params;
    type.params.push_back(
        {"connection", ParamType::kString, false, family, "which configured connection to use"});
    type.changes_outside_state = ChangesOutsideState(declaration.changes_outside_state);
    const std::string name = type.name;
    if (declaration.handler) {
      type.handler = declaration.handler;
    } else {
      type.handler = [name](const StepContext&) {
        return StepResult::Final("not_available", name + " has no client in this build yet");
      };
    }
    registry.Register(std::move(type));
  }
}

}  // namespace sagaflow
