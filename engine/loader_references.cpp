// Reference checks: every expression may read only what will exist when it is
// evaluated. A forward step reads steps that ran before it; a compensation
// may also read its own step's output; the output block reads any step;
// trigger inputs read only the event, env and the clock.
#include <set>

#include "engine/loader_context.hpp"
#include "engine/loader_parts.hpp"
#include "engine/spelling.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow::loader {
namespace {

struct Scope {
  std::string describe;             // "step 'x'", "the output", ...
  std::set<std::string> roots;      // allowed roots
  std::vector<std::string> before;  // steps that have run by then
  bool own_step_allowed = false;    // a compensation reads its own step
  std::string own_step;
};

struct Checker {
  Context& ctx;
  const WorkflowDefinition& definition;
  std::vector<std::string> all_steps;
  std::vector<std::string> declared_inputs;
  bool inputs_closed = false;  // additionalProperties: false
  bool inputs_declared = false;
  bool has_webhook = false;

  void Check(const ExprReference& ref, const Scope& scope, const YAML::Node& node,
             const std::string& path) {
    const SourceLocation at = ctx.LocationInside(node, ref.offset);
    const std::string& root = ref.root();
    auto error = [&](const std::string& message) {
      ctx.diagnostics.Error(at, path + ": " + message);
    };
    if (!scope.roots.count(root)) {
      std::string allowed;
      for (const auto& r : scope.roots) allowed += (allowed.empty() ? "" : ", ") + r;
      error("'" + root + "' is not available in " + scope.describe + "; it may read " + allowed);
      return;
    }
    if (root == "steps") CheckStep(ref, scope, error);
    if (root == "input" && ref.path.size() > 1 && inputs_declared) {
      const std::string& name = ref.path[1];
      if (std::find(declared_inputs.begin(), declared_inputs.end(), name) ==
          declared_inputs.end()) {
        const std::string message = "input '" + name + "' is not declared under input.properties" +
                                    DidYouMean(name, declared_inputs);
        if (inputs_closed) {
          error(message);
        } else {
          ctx.diagnostics.Warning(at, path + ": " + message);
        }
      }
    }
    if (root == "run" && ref.path.size() > 1) {
      static const std::vector<std::string> kFields = {"id", "workflow", "version", "attempt"};
      if (std::find(kFields.begin(), kFields.end(), ref.path[1]) == kFields.end()) {
        error("run has no field '" + ref.path[1] + "'" + DidYouMean(ref.path[1], kFields) +
              "; it has id, workflow, version, attempt");
      }
    }
    if (root == "event" && !has_webhook && scope.describe.rfind("trigger", 0) != 0) {
      ctx.diagnostics.Warning(at, path +
                                      ": event is only set for runs started by a webhook, "
                                      "and this workflow has no webhook trigger");
    }
  }

  template <typename Error>
  void CheckStep(const ExprReference& ref, const Scope& scope, const Error& error) {
    if (ref.path.size() < 2) {
      error("refer to one step, e.g. steps.<id>.output");
      return;
    }
    const std::string& id = ref.path[1];
    const bool known = std::find(all_steps.begin(), all_steps.end(), id) != all_steps.end();
    if (!known) {
      error("no step '" + id + "' in this workflow" + DidYouMean(id, all_steps));
      return;
    }
    const bool ran_before =
        std::find(scope.before.begin(), scope.before.end(), id) != scope.before.end();
    const bool own = scope.own_step_allowed && id == scope.own_step;
    if (!ran_before && !own) {
      error("step '" + id + "' does not run before " + scope.describe);
      return;
    }
    if (ref.path.size() < 3) {
      error("refer to steps." + id + ".output or steps." + id + ".status");
    } else if (ref.path[2] != "output" && ref.path[2] != "status") {
      error("steps." + id + " has no field '" + ref.path[2] + "'" +
            DidYouMean(ref.path[2], {"output", "status"}) + "; it has output and status");
    }
  }

  void CheckValue(const CompiledValue& value, const Scope& scope, const YAML::Node& node,
                  const std::string& path) {
    for (const auto& ref : value.references()) {
      Check(ref, scope, NodeAtPointer(node, ref.pointer), PathWithPointer(path, ref.pointer));
    }
  }
};

const std::set<std::string> kStepRoots = {"input",   "steps", "run", "env",
                                          "secrets", "event", "now"};

}  // namespace

void CheckReferences(Context& ctx, const YAML::Node& root, const WorkflowDefinition& definition) {
  Checker checker{ctx, definition, {}, {}, false, false, false};
  for (const auto& step : definition.steps) checker.all_steps.push_back(step.id);
  const Json& schema = definition.input_schema_source;
  if (schema.is_object() && schema.contains("properties") && schema["properties"].is_object()) {
    checker.inputs_declared = true;
    for (const auto& [name, _] : schema["properties"].items()) {
      checker.declared_inputs.push_back(name);
    }
    checker.inputs_closed =
        schema.contains("additionalProperties") && schema["additionalProperties"] == false;
  }
  for (const auto& trigger : definition.triggers) {
    checker.has_webhook = checker.has_webhook || trigger.kind == Trigger::Kind::kWebhook;
  }

  // Steps: match each model step back to its YAML node by position, skipping
  // nodes that failed to load (their ids are not in the model).
  const YAML::Node steps = Find(root, "steps");
  std::vector<std::string> before;
  for (size_t i = 0; steps.IsSequence() && i < steps.size(); ++i) {
    const YAML::Node node = steps[i];
    const YAML::Node id_node = Find(node, "id");
    if (!id_node.IsScalar()) continue;
    const StepDefinition* step = definition.FindStep(id_node.Scalar());
    if (!step || step->location.line != LocationOf(node).line) continue;
    const std::string path = "steps[" + std::to_string(i) + "]";
    Scope forward{"step '" + step->id + "'", kStepRoots, before, false, step->id};
    checker.CheckValue(step->action.with, forward, Find(node, "with"), path + ".with");
    if (step->when) {
      for (const auto& ref : step->when->references()) {
        checker.Check(ref, forward, Find(node, "when"), path + ".when");
      }
    }
    if (step->compensate) {
      Scope undo{"the compensation of '" + step->id + "'", kStepRoots, before, true, step->id};
      checker.CheckValue(step->compensate->with, undo, Find(Find(node, "compensate"), "with"),
                         path + ".compensate.with");
    }
    before.push_back(step->id);
  }

  if (definition.has_output) {
    Scope output{"the output", {"input", "steps", "run", "env", "event", "now"}, before, false, ""};
    checker.CheckValue(definition.output, output, Find(root, "output"), "output");
  }

  const YAML::Node triggers = Find(root, "triggers");
  size_t model_index = 0;
  for (size_t i = 0; triggers.IsSequence() && i < triggers.size(); ++i) {
    const YAML::Node item = triggers[i];
    if (!item.IsMap() || item.size() != 1) continue;
    const std::string kind = item.begin()->first.Scalar();
    const YAML::Node body = item.begin()->second;
    // Triggers that failed to load are not in the model; find by kind in order.
    while (model_index < definition.triggers.size()) {
      const Trigger& trigger = definition.triggers[model_index];
      const bool same = (kind == "webhook" && trigger.kind == Trigger::Kind::kWebhook) ||
                        (kind == "schedule" && trigger.kind == Trigger::Kind::kSchedule) ||
                        (kind == "http" && trigger.kind == Trigger::Kind::kHttp);
      if (!same) break;
      ++model_index;
      const std::string path = "triggers[" + std::to_string(i) + "]." + kind + ".input";
      if (trigger.kind == Trigger::Kind::kWebhook) {
        Scope scope{"a webhook trigger's input", {"event", "env", "now"}, {}, false, ""};
        checker.CheckValue(trigger.webhook.input, scope, Find(body, "input"), path);
      } else if (trigger.kind == Trigger::Kind::kSchedule) {
        Scope scope{"a schedule trigger's input", {"env", "now"}, {}, false, ""};
        checker.CheckValue(trigger.schedule->input, scope, Find(body, "input"), path);
      }
      break;
    }
  }
}

}  // namespace sagaflow::loader
