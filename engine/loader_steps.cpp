// Steps and their actions: `uses`, `with` checked against the step type's
// declared parameters, `compensate`, retry, timeout, `when`, `on_failure`.
#include <algorithm>
#include <functional>
#include <regex>

#include "engine/duration.hpp"
#include "engine/loader_context.hpp"
#include "engine/loader_parts.hpp"
#include "engine/spelling.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow::loader {
namespace {

const std::vector<std::string> kStepKeys = {
    "id", "description", "uses", "with", "compensate", "retry", "timeout", "when", "on_failure"};
const std::vector<std::string> kCompensateKeys = {"uses", "with", "retry", "timeout"};

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

// "expected a duration such as 30s, got ..." reads better than a bare type name.
std::string Expected(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "a string";
    case ParamType::kInteger:
      return "an integer";
    case ParamType::kNumber:
      return "a number";
    case ParamType::kBoolean:
      return "true or false";
    case ParamType::kObject:
      return "a map";
    case ParamType::kArray:
      return "a list";
    case ParamType::kDuration:
      return "a duration such as 250ms, 30s, 5m or 1h";
    case ParamType::kAny:
      return "any value";
  }
  return ParamTypeName(type);
}

// A string holding `${{` is only known at run time; anything else is checked now.
bool IsDynamic(const Json& value) {
  return value.is_string() && value.get<std::string>().find("${{") != std::string::npos;
}

// `uses` is where a missing parameter is reported when there is no `with:`;
// none is when `with:` itself was misspelt, which was reported already.
void CheckParams(Context& ctx, const StepType& type, const YAML::Node& with, const YAML::Node& uses,
                 const std::string& path, bool with_misspelt, const YAML::Node& owner,
                 const std::vector<std::string>& keys) {
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
        ctx.Error(it->second, where,
                  "expected " + Expected(spec->type) + ", got " + Describe(it->second));
      }
    }
  }
  for (const auto& spec : type.params) {
    // Already reported: `with:` misspelt, the parameter misspelt, or
    // written beside `with:` (an unknown key of the step).
    const bool beside = Find(owner, spec.name).IsDefined() &&
                        std::find(keys.begin(), keys.end(), spec.name) == keys.end();
    if (with_misspelt || Misspelt(with, spec.name, names) || beside) continue;
    if (spec.required && !(params.is_object() && params.contains(spec.name))) {
      ctx.Error(with.IsDefined() ? with : uses, path,
                "missing required parameter '" + spec.name + "' of " + type.name);
    }
  }
}

// For CheckKeys: an unknown key of a step (or compensation) that is a
// parameter of its type was written beside `with:` instead of under it.
std::function<std::string(const std::string&)> ParamBesideWith(Context& ctx,
                                                               const YAML::Node& owner) {
  const YAML::Node uses = Find(owner, "uses");
  const StepType* type = uses.IsScalar() ? ctx.registry.Find(uses.Scalar()) : nullptr;
  return [type](const std::string& key) {
    if (!type || !type->FindParam(key)) return std::string();
    return "; it is a parameter of " + type->name + ": indent it under `with:`";
  };
}

// Whether a step without `compensate:` changes outside state. Asked of the
// step type even when the rest of the step failed to load, so a bad `with:`
// does not hide this problem.
bool MissingCompensation(Context& ctx, const YAML::Node& step) {
  const YAML::Node uses = Find(step, "uses");
  if (!uses.IsScalar()) return false;
  const StepType* type = ctx.registry.Find(uses.Scalar());
  return type && type->changes_outside_state &&
         type->changes_outside_state(YamlToJson(Find(step, "with")));
}

}  // namespace

std::optional<Action> ReadAction(Context& ctx, const YAML::Node& uses_node,
                                 const YAML::Node& with_node, const std::string& path,
                                 const YAML::Node& owner, const std::vector<std::string>& keys) {
  Action action;
  if (!uses_node.IsDefined()) {
    MissingKey(ctx, owner, path, "uses", keys);
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
    const bool with_misspelt = !with_node.IsDefined() && Misspelt(owner, "with", keys);
    CheckParams(ctx, *action.type, with_node, uses_node, JoinPath(path, "with"), with_misspelt,
                owner, keys);
    action.changes_outside_state = !action.type->changes_outside_state ||
                                   action.type->changes_outside_state(YamlToJson(with_node));
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
  CheckKeys(ctx, node, path, kStepKeys, ParamBesideWith(ctx, node));
  StepDefinition step;
  step.location = LocationOf(node);
  bool ok = true;

  const YAML::Node id = Find(node, "id");
  static const std::regex kIdPattern("^[a-z0-9_]+$");
  if (!id.IsDefined()) {
    MissingKey(ctx, node, path, "id", kStepKeys);
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

  auto action = ReadAction(ctx, Find(node, "uses"), Find(node, "with"), path, node, kStepKeys);
  ok = ok && action.has_value();
  if (action) step.action = *action;
  step.action.retry = defaults.retry;
  step.action.timeout = defaults.timeout;
  if (const YAML::Node retry = Find(node, "retry"); retry.IsDefined()) {
    step.action.retry = ReadRetry(ctx, retry, JoinPath(path, "retry"), defaults.retry);
  }
  if (const YAML::Node timeout = Find(node, "timeout"); timeout.IsDefined()) {
    if (auto duration = ExpectTimeout(ctx, timeout, JoinPath(path, "timeout"))) {
      step.action.timeout = *duration;
    }
  }

  if (const YAML::Node when = Find(node, "when"); when.IsDefined()) {
    if (!when.IsScalar() || !YamlToJson(when).is_string()) {
      ctx.Error(when, JoinPath(path, "when"),
                "expected one ${{ }} expression, e.g. \"${{ input.plan == 'pro' }}\", got " +
                    Describe(when));
    } else if (auto compiled = CompileTemplate(ctx, when, JoinPath(path, "when"))) {
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
      CheckKeys(ctx, compensate, compensate_path, kCompensateKeys,
                ParamBesideWith(ctx, compensate));
      auto undo = ReadAction(ctx, Find(compensate, "uses"), Find(compensate, "with"),
                             compensate_path, compensate, kCompensateKeys);
      // Read on when the action failed: its retry and timeout may be wrong too.
      RetryPolicy retry = step.action.retry;
      if (const YAML::Node node = Find(compensate, "retry"); node.IsDefined()) {
        retry = ReadRetry(ctx, node, JoinPath(compensate_path, "retry"), retry);
      }
      auto timeout = std::optional(step.action.timeout);
      if (const YAML::Node node = Find(compensate, "timeout"); node.IsDefined()) {
        timeout = ExpectTimeout(ctx, node, JoinPath(compensate_path, "timeout"));
      }
      if (undo && timeout) {
        undo->retry = retry;
        undo->timeout = *timeout;
        step.compensate = *undo;
      } else {
        ok = false;
      }
    } else {
      ctx.Error(compensate, compensate_path,
                "expected an action ({uses, with}) or the word none, got " + Describe(compensate));
      ok = false;
    }
  } else if (MissingCompensation(ctx, node)) {
    ctx.Error(node, path,
              Find(node, "uses").Scalar() +
                  " changes outside state, so the step must say what undoes it: "
                  "add `compensate:` with an action, or `compensate: none`");
  }
  if (!ok) return std::nullopt;
  return step;
}

}  // namespace sagaflow::loader
