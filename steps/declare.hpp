// Shorthand for declaring the SaaS step families: a table of names, whether
// each changes outside state, its parameters, what its output holds, and the
// handler that runs it. The output description is appended to the type's
// description ("… Output: …") so `sagaflow plan` and docs show it.
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
  const char* output = "";
  StepHandler handler;  // null: fails finally with "not_available"
};

// Every SaaS step also takes `connection`: which configured connection of the
// family to use (default: the family's name; see steps/connections.hpp).
void RegisterDeclaredSteps(StepRegistry& registry, const std::string& family,
                           const std::vector<StepDeclaration>& declarations);

}  // namespace sagaflow
