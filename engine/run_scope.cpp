#include "engine/run_scope.hpp"

namespace sagaflow {
namespace {

constexpr const char* kSecretMarker = "$secret_template";

// Walks a `with:` source value, rendering each string on its own so the ones
// that read secrets can be left for later.
ExprResult<Json> ResolveNode(const Json& source, const EvalContext& ctx, const std::string& path) {
  if (source.is_string()) {
    auto parsed = Template::parse(source.get<std::string>());
    if (!parsed) return ExprResult<Json>::failure(parsed.errors());
    if (parsed.value().references_root("secrets")) {
      return ExprResult<Json>::success(Json{{kSecretMarker, source}});
    }
    auto rendered = parsed.value().render(ctx);
    if (!rendered) {
      ExprError error = rendered.error();
      error.pointer = path;
      return ExprResult<Json>::failure(error);
    }
    return rendered;
  }
  if (source.is_object()) {
    Json out = Json::object();
    for (const auto& [key, value] : source.items()) {
      auto child = ResolveNode(value, ctx, path + "/" + key);
      if (!child) return child;
      out[key] = std::move(child).value();
    }
    return ExprResult<Json>::success(std::move(out));
  }
  if (source.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < source.size(); ++i) {
      auto child = ResolveNode(source[i], ctx, path + "/" + std::to_string(i));
      if (!child) return child;
      out.push_back(std::move(child).value());
    }
    return ExprResult<Json>::success(std::move(out));
  }
  return ExprResult<Json>::success(source);
}

ExprResult<Json> RenderMarked(const Json& params, const EvalContext& ctx) {
  if (params.is_object() && params.size() == 1 && params.contains(kSecretMarker)) {
    auto parsed = Template::parse(params[kSecretMarker].get<std::string>());
    if (!parsed) return ExprResult<Json>::failure(parsed.errors());
    return parsed.value().render(ctx);
  }
  if (params.is_object() || params.is_array()) {
    Json out = params;
    for (auto it = out.begin(); it != out.end(); ++it) {
      auto child = RenderMarked(*it, ctx);
      if (!child) return child;
      *it = std::move(child).value();
    }
    return ExprResult<Json>::success(std::move(out));
  }
  return ExprResult<Json>::success(params);
}

bool HasMarker(const Json& value) {
  if (value.is_object()) {
    if (value.contains(kSecretMarker)) return true;
    for (const auto& [_, child] : value.items()) {
      if (HasMarker(child)) return true;
    }
  } else if (value.is_array()) {
    for (const auto& child : value) {
      if (HasMarker(child)) return true;
    }
  }
  return false;
}

}  // namespace

Json BuildScope(const RunRecord& run, const RunEnvironment& environment, int attempt) {
  Json steps = Json::object();
  for (const auto& step : run.steps) {
    if (step.phase != Phase::kForward) continue;
    steps[step.step_id] = Json{{"output", step.output}, {"status", step.status}};
  }
  Json scope{{"input", run.input},
             {"steps", std::move(steps)},
             {"run",
              {{"id", run.id},
               {"workflow", run.workflow},
               {"version", run.version},
               {"attempt", attempt}}},
             {"env", environment.env}};
  if (run.trigger.is_object() && run.trigger.contains("event"))
    scope["event"] = run.trigger["event"];
  return scope;
}

ExprResult<Json> ResolveParams(const CompiledValue& with, const Json& scope,
                               const EvalContext::Clock& clock) {
  const EvalContext ctx{scope, clock};
  if (!with.references_root("secrets")) return with.render(ctx);
  return ResolveNode(with.source(), ctx, "");
}

ExprResult<Json> RenderSecrets(const Json& params, const Json& scope,
                               const RunEnvironment& environment) {
  if (!HasMarker(params)) return ExprResult<Json>::success(params);
  Json full = scope;
  full["secrets"] = environment.secrets;
  const EvalContext ctx{full, environment.clock};
  return RenderMarked(params, ctx);
}

std::string IdempotencyKey(const std::string& run_id, const std::string& step_id, Phase phase) {
  return run_id + ":" + step_id + ":" + (phase == Phase::kForward ? "forward" : "compensate");
}

}  // namespace sagaflow
