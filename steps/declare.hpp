// Shorthand for declaring the SaaS step families: a table of names, whether
// each changes outside state, and its parameters. Handlers come from the
// family's client code; until a family's client exists, its steps fail
// finally with a clear "not available in this build" error.
#pragma once

#include <string>
#include <vector>

#include "engine/step_registry.hpp"

namespace sagaflow {

struct StepDeclaration {
  const char* name;
  bool changes_outside_state;
  const char* description;
  std::vector<ParamSpec> params;
};

// Every SaaS step also takes `connection`: which configured connection of the
// family to use (default: the family's name).
void RegisterDeclaredSteps(StepRegistry& registry, const std::string& family,
                           const std::vector<StepDeclaration>& declarations);

}  // namespace sagaflow
