// What a run's expressions can read, and step parameters resolved from them.
//
// Parameters are resolved once, when a step first starts, and persisted; a
// string that reads `secrets` is kept unresolved as {"$secret_template": …}
// so no secret is ever written to the database, and is rendered just before
// each attempt. Pure functions; safe from any thread.
#pragma once

#include <string>

#include "engine/definition.hpp"
#include "engine/expression.hpp"
#include "engine/run_model.hpp"

namespace sagaflow {

// Process-wide values expressions may read: `env` (an allow-list of
// environment variables) and `secrets`. Fixed after start-up.
struct RunEnvironment {
  Json env = Json::object();
  Json secrets = Json::object();
  EvalContext::Clock clock = [] { return Clock::now(); };
};

// {input, steps: {id: {output, status}}, run: {...}, env, event}; no secrets.
Json BuildScope(const RunRecord& run, const RunEnvironment& environment, int attempt);

// Renders `with` against `scope`, leaving secret-reading strings as
// {"$secret_template": source}. The error names the parameter's path.
ExprResult<Json> ResolveParams(const CompiledValue& with, const Json& scope,
                               const EvalContext::Clock& clock);

// Renders the {"$secret_template": …} entries of resolved params with
// `scope` plus the secrets. Params without them are returned as they are.
ExprResult<Json> RenderSecrets(const Json& params, const Json& scope,
                               const RunEnvironment& environment);

// The idempotency key of a step in a phase: stable across attempts and
// processes.
std::string IdempotencyKey(const std::string& run_id, const std::string& step_id, Phase phase);

}  // namespace sagaflow
