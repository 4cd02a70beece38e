// Steps and their actions: `uses`, `with` checked against the step type's
// declared parameters, `compensate`, retry, timeout, `when`, `on_failure`.
#include <regex>

#include "engine/duration.hpp"
#include "engine/loader_context.hpp"
#include "engine/loader_parts.hpp"
#include "engine/spelling.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow::loader {
namespace {

bool MatchesType(const Json& value, ParamType type) {
  switch (type) {
    case ParamType::kString:
      return value.is_string();
    case ParamType::kInteger:
      return value.is_number_integer();
    case ParamType::kNumber:
      return value.is_number();
    case ParamType::kBoolean:
      return value.is_boolean();
    case ParamType::kObject:
      return value.is_object();
    case ParamType::kArray:
      return value.is_array();
    case ParamType::kDuration:
      return value.is_string() && ParseDuration(value.get<std::string>());
    case ParamType::kAny:
      return true;
  }
  return true;
}

// A string holding `${{` is only known at run time; anything else is checked now.
bool IsDynamic(const Json& value) {
  return value.is_string() && value.get<std::string>().find("${{") != std::string::npos;
}

void CheckParams(Context& ctx, const StepType& type, const YAML::Node& with,
                 const std::string& path) {
  const Json params = YamlToJson(with);
  if (!params.is_null() && !params.is_object()) {
    ctx.Error(with, path, "expected a map of parameters, got " + Describe(with));
    return;
  }
  std::vector<std::string> names;
  for (const auto& spec : type.params) names.push_back(spec.name);
  if (params.is_object() && !type.accepts_any_params) {
    for (auto it = with.begin(); it != with.end(); ++it) {
      const std::string name = it->first.Scalar();
      const ParamSpec* spec = type.FindParam(name);
      const std::string where = JoinPath(path, name);
      if (!spec) {
        ctx.Error(it->first, where,
                  type.name + " has no parameter '" + name + "'" + DidYouMean(name, names));
        continue;
      }
      const Json value = YamlToJson(it->second);
      if (!IsDynamic(value) && !MatchesType(value, spec->type)) {
        ctx.Error(
            it->second, where,
            "expected " + std::string(ParamTypeName(spec->type)) + ", got " + Describe(it->second));
      }
    }
  }
  for (const auto& spec : type.params) {
    if (spec.required && !(params.is_object() && params.contains(spec.name))) {
      ctx.Error(with.IsDefined() ? with : YAML::Node(), path,
                "missing required parameter '" + spec.name + "' of " + type.name);
    }
  }
}

}  // namespace

std::optional<Action> ReadAction(Context& ctx, const YAML::Node& uses_node,
                                 const YAML::Node& with_node, const std::string& path,
                                 const YAML::Node& owner) {
  Action action;
  if (!uses_node.IsDefined()) {
    ctx.Error(owner, path, "missing required key 'uses'");
    return std::nullopt;
  }
  auto uses = ExpectString(ctx, uses_node, JoinPath(path, "uses"));
  if (!uses) return std::nullopt;
  action.uses = *uses;
  action.type = ctx.registry.Find(*uses);
  if (!action.type) {
    ctx.Error(uses_node, JoinPath(path, "uses"),
              "unknown step type '" + *uses + "'" + DidYouMean(*uses, ctx.registry.Names()));
  } else {
    CheckParams(ctx, *action.type, with_node, JoinPath(path, "with"));
  }
  if (with_node.IsDefined()) {
    auto with = CompileValue(ctx, with_node, JoinPath(path, "with"));
    if (!with) return std::nullopt;
    action.with = *with;
  } else {
    action.with = CompiledValue::compile(Json::object()).value();
  }
  return action.type ? std::optional<Action>(action) : std::nullopt;
}

std::optional<StepDefinition> ReadStep(Context& ctx, const YAML::Node& node,
                                       const std::string& path, const Defaults& defaults) {
  if (!ExpectMap(ctx, node, path)) return std::nullopt;
  const auto entries = CheckKeys(ctx, node, path,
                                 {"id", "description", "uses", "with", "compensate", "retry",
                                  "timeout", "when", "on_failure"});
  (void)entries;
  StepDefinition step;
  step.location = LocationOf(node);
  bool ok = true;

  const YAML::Node id = Find(node, "id");
  static const std::regex kIdPattern("^[a-z0-9_]+$");
  if (!id.IsDefined()) {
    ctx.Error(node, path, "missing required key 'id'");
    ok = false;
  } else if (auto text = ExpectString(ctx, id, JoinPath(path, "id"))) {
    step.id = *text;
    if (!std::regex_match(step.id, kIdPattern)) {
      ctx.Error(id, JoinPath(path, "id"), "'" + step.id + "' must match [a-z0-9_]+");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (const YAML::Node d = Find(node, "description"); d.IsDefined()) {
    if (auto text = ExpectString(ctx, d, JoinPath(path, "description"))) step.description = *text;
  }

  auto action = ReadAction(ctx, Find(node, "uses"), Find(node, "with"), path, node);
  ok = ok && action.has_value();
  if (action) step.action = *action;
  step.action.retry = defaults.retry;
  step.action.timeout = defaults.timeout;
  if (const YAML::Node retry = Find(node, "retry"); retry.IsDefined()) {
    step.action.retry = ReadRetry(ctx, retry, JoinPath(path, "retry"), defaults.retry);
  }
  if (const YAML::Node timeout = Find(node, "timeout"); timeout.IsDefined()) {
    if (auto duration = ExpectDuration(ctx, timeout, JoinPath(path, "timeout"))) {
      step.action.timeout = *duration;
    }
  }

  if (const YAML::Node when = Find(node, "when"); when.IsDefined()) {
    if (auto compiled = CompileTemplate(ctx, when, JoinPath(path, "when"))) {
      if (!compiled->is_whole()) {
        ctx.Error(when, JoinPath(path, "when"),
                  "expected one ${{ }} expression, e.g. \"${{ input.plan == 'pro' }}\"");
      } else {
        step.when = *compiled;
      }
    }
  }

  if (const YAML::Node on_failure = Find(node, "on_failure"); on_failure.IsDefined()) {
    const auto text = ExpectString(ctx, on_failure, JoinPath(path, "on_failure"));
    if (text == "compensate") {
      step.on_failure = OnFailure::kCompensate;
    } else if (text == "pause") {
      step.on_failure = OnFailure::kPause;
    } else if (text == "continue") {
      step.on_failure = OnFailure::kContinue;
    } else if (text) {
      ctx.Error(on_failure, JoinPath(path, "on_failure"),
                "'" + *text + "' is not one of compensate, pause, continue" +
                    DidYouMean(*text, {"compensate", "pause", "continue"}));
    }
  }

  const YAML::Node compensate = Find(node, "compensate");
  const std::string compensate_path = JoinPath(path, "compensate");
  if (compensate.IsDefined()) {
    if (compensate.IsScalar() && compensate.Scalar() == "none") {
      // Explicitly nothing to undo.
    } else if (compensate.IsMap()) {
      CheckKeys(ctx, compensate, compensate_path, {"uses", "with", "retry", "timeout"});
      auto undo = ReadAction(ctx, Find(compensate, "uses"), Find(compensate, "with"),
                             compensate_path, compensate);
      if (undo) {
        undo->retry = step.action.retry;
        undo->timeout = step.action.timeout;
        if (const YAML::Node retry = Find(compensate, "retry"); retry.IsDefined()) {
          undo->retry = ReadRetry(ctx, retry, JoinPath(compensate_path, "retry"), undo->retry);
        }
        if (const YAML::Node timeout = Find(compensate, "timeout"); timeout.IsDefined()) {
          if (auto d = ExpectDuration(ctx, timeout, JoinPath(compensate_path, "timeout"))) {
            undo->timeout = *d;
          }
        }
        step.compensate = *undo;
      }
    } else {
      ctx.Error(compensate, compensate_path,
                "expected an action ({uses, with}) or the word none, got " + Describe(compensate));
    }
  } else if (action && action->type->changes_outside_state(YamlToJson(Find(node, "with")))) {
    ctx.Error(node, path,
              action->uses +
                  " changes outside state, so the step must say what undoes it: "
                  "add `compensate:` with an action, or `compensate: none`");
  }
  if (!ok) return std::nullopt;
  return step;
}

}  // namespace sagaflow::loader
