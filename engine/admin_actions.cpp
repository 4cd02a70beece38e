#include "engine/admin_actions.hpp"

#include <algorithm>

namespace sagaflow {
namespace {

bool Completed(const RunRecord& run, const std::string& step, Phase phase) {
  const StepRecord* record = run.FindStep(step, phase);
  return record && record->status == step_status::kCompleted;
}

std::vector<std::string> CompletedForward(const WorkflowDefinition& definition,
                                          const RunRecord& run) {
  std::vector<std::string> done;
  for (const auto& step : definition.steps) {
    if (Completed(run, step.id, Phase::kForward)) done.push_back(step.id);
  }
  return done;
}

std::vector<std::string> StepsAfter(const WorkflowDefinition& definition, const std::string& id) {
  std::vector<std::string> after;
  const int index = definition.StepIndex(id);
  for (size_t i = index + 1; i < definition.steps.size(); ++i) {
    after.push_back(definition.steps[i].id +
                    (definition.steps[i].when ? " (if its when holds)" : ""));
  }
  return after;
}

// Forward steps whose compensation is still to run, newest first.
std::vector<std::string> StillToUndo(const WorkflowDefinition& definition, const RunRecord& run,
                                     const std::string& except) {
  std::vector<const StepRecord*> undo;
  for (const auto& record : run.steps) {
    if (record.phase != Phase::kForward || record.step_id == except) continue;
    const StepDefinition* step = definition.FindStep(record.step_id);
    if (!step || !step->compensate) continue;
    const bool done = record.status == step_status::kCompleted;
    const bool maybe = record.status == step_status::kFailed && record.uncertain;
    if ((done || maybe) && !Completed(run, record.step_id, Phase::kCompensate)) {
      undo.push_back(&record);
    }
  }
  std::sort(undo.begin(), undo.end(), [](const StepRecord* a, const StepRecord* b) {
    return a->completed_seq.value_or(1 << 30) > b->completed_seq.value_or(1 << 30);
  });
  std::vector<std::string> ids;
  for (const auto* record : undo) ids.push_back(record->step_id);
  return ids;
}

std::vector<std::string> CompletedCompensations(const RunRecord& run) {
  std::vector<std::string> done;
  for (const auto& record : run.steps) {
    if (record.phase == Phase::kCompensate && record.status == step_status::kCompleted) {
      done.push_back(record.step_id);
    }
  }
  return done;
}

}  // namespace

const std::vector<std::string>& AdminActions() {
  static const std::vector<std::string> actions = {"resume", "retry-compensation", "skip", "cancel",
                                                   "pause",  "mark-resolved"};
  return actions;
}

std::vector<std::string> AllowedStatuses(const std::string& action) {
  if (action == "resume") return {"paused"};
  if (action == "retry-compensation") return {"stuck"};
  if (action == "skip") return {"paused", "stuck"};
  if (action == "cancel") return {"pending", "running", "paused"};
  if (action == "pause") return {"pending", "running"};
  if (action == "mark-resolved") return {"stuck"};
  return {};
}

Json DescribeAction(const WorkflowDefinition& definition, const RunRecord& run,
                    const std::string& action, const Json& body) {
  const std::string current = run.current_step.value_or("");
  const bool forward = run.current_phase == Phase::kForward;
  Json answer{{"action", action}, {"run_id", run.id}, {"status", run.status}};
  if (action == "resume") {
    answer["runs_again"] = current.empty() ? Json::array() : Json::array({current});
    answer["then_runs"] = current.empty() ? Json::array() : Json(StepsAfter(definition, current));
    answer["not_repeated"] = CompletedForward(definition, run);
    if (body.contains("params")) answer["patched_params"] = body["params"];
  } else if (action == "retry-compensation") {
    answer["runs_again"] = Json::array({current});
    answer["then_compensates"] = StillToUndo(definition, run, current);
    answer["not_repeated"] = CompletedCompensations(run);
  } else if (action == "skip") {
    answer["marks_done"] = {{"step", current},
                            {"phase", forward ? "forward" : "compensate"},
                            {"output", body.value("output", Json::object())}};
    if (forward) {
      answer["then_runs"] = StepsAfter(definition, current);
      answer["not_repeated"] = CompletedForward(definition, run);
    } else {
      answer["then_compensates"] = StillToUndo(definition, run, current);
      answer["not_repeated"] = CompletedCompensations(run);
    }
  } else if (action == "cancel") {
    answer["compensates"] = StillToUndo(definition, run, "");
  } else if (action == "pause") {
    answer["stops_after"] = current.empty() ? Json() : Json(current);
  } else if (action == "mark-resolved") {
    answer["resolves"] = current;
    answer["not_compensated"] = StillToUndo(definition, run, current);
    answer["final_status"] = "compensated";
  }
  return answer;
}

}  // namespace sagaflow
