// Operator actions on runs: which states each may act on, and what it would
// do (the dry-run answer), computed from the stored run and its definition.
#pragma once

#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/json.hpp"
#include "engine/run_model.hpp"

namespace sagaflow {

// The actions DESIGN.md names, in the order the API lists them.
const std::vector<std::string>& AdminActions();
// Run states an action may be applied in; empty for an unknown action.
std::vector<std::string> AllowedStatuses(const std::string& action);

// What `action` would do to `run` now: steps run again, steps or
// compensations that will not be repeated, what follows.
Json DescribeAction(const WorkflowDefinition& definition, const RunRecord& run,
                    const std::string& action, const Json& body);

}  // namespace sagaflow
