#include "engine/plan.hpp"

#include <sstream>

#include "engine/duration.hpp"

namespace sagaflow {
namespace {

// The compensations a final failure of step `failed` runs, in order: every
// earlier step that has a compensation, latest first. (At run time, skipped
// steps drop out of this list.)
std::vector<std::string> RollbackFor(const WorkflowDefinition& definition, size_t failed) {
  std::vector<std::string> order;
  for (size_t i = failed; i-- > 0;) {
    if (definition.steps[i].compensate) order.push_back(definition.steps[i].id);
  }
  return order;
}

std::string Join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

Json PlanJson(const WorkflowDefinition& definition) {
  Json steps = Json::array();
  for (size_t i = 0; i < definition.steps.size(); ++i) {
    const StepDefinition& step = definition.steps[i];
    Json entry{{"id", step.id},
               {"uses", step.action.uses},
               {"compensate", step.compensate ? Json(step.compensate->uses) : Json("none")},
               {"on_failure", OnFailureName(step.on_failure)},
               {"timeout", FormatDuration(step.action.timeout)},
               {"retry",
                {{"max_attempts", step.action.retry.max_attempts},
                 {"initial_interval", FormatDuration(step.action.retry.initial_interval)},
                 {"max_interval", FormatDuration(step.action.retry.max_interval)},
                 {"multiplier", step.action.retry.multiplier},
                 {"jitter", step.action.retry.jitter}}}};
    if (step.when) entry["when"] = step.when->source();
    if (step.on_failure == OnFailure::kCompensate) {
      entry["rollback_on_failure"] = RollbackFor(definition, i);
    }
    steps.push_back(entry);
  }
  return Json{{"name", definition.name}, {"version", definition.version}, {"steps", steps}};
}

std::string PlanText(const WorkflowDefinition& definition) {
  std::ostringstream out;
  out << definition.name << " v" << definition.version;
  if (!definition.description.empty()) out << " — " << definition.description;
  out << "\n\nSteps, in order:\n";
  for (size_t i = 0; i < definition.steps.size(); ++i) {
    const StepDefinition& step = definition.steps[i];
    out << "  " << i + 1 << ". " << step.id << "  " << step.action.uses << "\n";
    out << "       undo: " << (step.compensate ? step.compensate->uses : "none") << "\n";
    if (step.when) out << "       only when: " << step.when->source() << "\n";
    if (step.on_failure != OnFailure::kCompensate) {
      out << "       on failure: " << OnFailureName(step.on_failure) << "\n";
    }
  }
  out << "\nIf a step fails for good:\n";
  for (size_t i = 0; i < definition.steps.size(); ++i) {
    const StepDefinition& step = definition.steps[i];
    out << "  " << step.id << ": ";
    if (step.on_failure == OnFailure::kPause) {
      out << "the run pauses for a person; nothing is undone\n";
    } else if (step.on_failure == OnFailure::kContinue) {
      out << "the failure is recorded and the run goes on\n";
    } else {
      const auto order = RollbackFor(definition, i);
      out << (order.empty() ? "nothing to undo" : "undo " + Join(order)) << "\n";
    }
  }
  return out.str();
}

}  // namespace sagaflow
