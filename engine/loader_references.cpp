// Reference checks: every expression may read only what will exist when it is
// evaluated. A forward step reads steps that ran before it; a compensation
// may also read its own step's output; the output block reads any step;
// trigger inputs read only the event, env and the clock.
#include <optional>
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
    if (root == "event" && !has_webhook) {
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
      error(id == scope.own_step ? "step '" + id +
                                       "' cannot read its own output before it runs; later "
                                       "steps, its compensation and the output can"
                                 : "step '" + id + "' does not run before " + scope.describe);
      return;
    }
    if (ref.path.size() < 3) {
      error("refer to steps." + id + ".output or steps." + id + ".status");
    } else if (ref.path[2] != "output" && ref.path[2] != "status") {
      error("steps." + id + " has no field '" + ref.path[2] + "'" +
            DidYouMean(ref.path[2], {"output", "status"}) + "; it has output and status");
    }
  }

  // Checks every string under `node` that parses as a template; strings
  // that do not parse were reported when their part was read. Walking the
  // YAML rather than the model means steps that failed to load for another
  // reason still have their expressions checked.
  void CheckStrings(const YAML::Node& node, const Scope& scope, const std::string& path) {
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar()) {
          CheckStrings(it->second, scope, JoinPath(path, it->first.Scalar()));
        }
      }
    } else if (node.IsSequence()) {
      for (size_t i = 0; i < node.size(); ++i) {
        CheckStrings(node[i], scope, path + "[" + std::to_string(i) + "]");
      }
    } else if (node.IsScalar() && YamlToJson(node).is_string()) {
      const auto parsed = Template::parse(node.Scalar());
      if (!parsed) return;
      for (const auto& ref : parsed.value().references()) Check(ref, scope, node, path);
    }
  }
};

const std::set<std::string> kStepRoots = {"input",   "steps", "run", "env",
                                          "secrets", "event", "now"};

std::optional<std::string> StepId(const YAML::Node& step) {
  const YAML::Node id = Find(step, "id");
  if (!id.IsScalar() || !YamlToJson(id).is_string()) return std::nullopt;
  return id.Scalar();
}

}  // namespace

void CheckReferences(Context& ctx, const YAML::Node& root, const WorkflowDefinition& definition) {
  Checker checker{ctx, {}, {}, false, false, false};
  const YAML::Node steps = Find(root, "steps");
  for (size_t i = 0; steps.IsSequence() && i < steps.size(); ++i) {
    if (auto id = StepId(steps[i])) checker.all_steps.push_back(*id);
  }
  const Json& schema = definition.input_schema_source;
  if (schema.is_object() && schema.contains("properties") && schema["properties"].is_object()) {
    checker.inputs_declared = true;
    for (const auto& [name, _] : schema["properties"].items()) {
      checker.declared_inputs.push_back(name);
    }
    checker.inputs_closed =
        schema.contains("additionalProperties") && schema["additionalProperties"] == false;
  }
  const YAML::Node triggers = Find(root, "triggers");
  for (size_t i = 0; triggers.IsSequence() && i < triggers.size(); ++i) {
    checker.has_webhook = checker.has_webhook || Find(triggers[i], "webhook").IsDefined();
  }

  std::vector<std::string> before;
  for (size_t i = 0; steps.IsSequence() && i < steps.size(); ++i) {
    const YAML::Node node = steps[i];
    const std::string path = "steps[" + std::to_string(i) + "]";
    const std::string id = StepId(node).value_or("");
    const std::string name = id.empty() ? path : "step '" + id + "'";
    const Scope forward{name, kStepRoots, before, false, id};
    checker.CheckStrings(Find(node, "with"), forward, path + ".with");
    checker.CheckStrings(Find(node, "when"), forward, path + ".when");
    const Scope undo{"the compensation of " + name, kStepRoots, before, !id.empty(), id};
    checker.CheckStrings(Find(Find(node, "compensate"), "with"), undo, path + ".compensate.with");
    if (!id.empty()) before.push_back(id);
  }

  if (const YAML::Node output = Find(root, "output"); output.IsMap()) {
    const Scope scope{
        "the output", {"input", "steps", "run", "env", "event", "now"}, before, false, ""};
    checker.CheckStrings(output, scope, "output");
  }

  for (size_t i = 0; triggers.IsSequence() && i < triggers.size(); ++i) {
    const std::string path = "triggers[" + std::to_string(i) + "]";
    if (const YAML::Node webhook = Find(triggers[i], "webhook"); webhook.IsMap()) {
      const Scope scope{"a webhook trigger's input", {"event", "env", "now"}, {}, false, ""};
      checker.CheckStrings(Find(webhook, "input"), scope, path + ".webhook.input");
    }
    if (const YAML::Node schedule = Find(triggers[i], "schedule"); schedule.IsMap()) {
      const Scope scope{"a schedule trigger's input", {"env", "now"}, {}, false, ""};
      checker.CheckStrings(Find(schedule, "input"), scope, path + ".schedule.input");
    }
  }
}

}  // namespace sagaflow::loader
