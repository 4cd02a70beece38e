// The plan of a workflow: its steps in order with their compensations, and
// for each step the rollback that a final failure there would run. Lets a
// reader see the saga before running it (`sagaflow plan`, GET /v1/workflows).
#pragma once

#include <string>

#include "engine/definition.hpp"
#include "engine/json.hpp"

namespace sagaflow {

Json PlanJson(const WorkflowDefinition& definition);
std::string PlanText(const WorkflowDefinition& definition);

}  // namespace sagaflow
