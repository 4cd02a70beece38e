// The HTTP API's routes (DESIGN.md's table), grouped by file:
// api_runs.cpp (start, show, list runs; workflows), api_admin.cpp (operator
// actions, history, audit), api_system.cpp (health, readiness, metrics,
// OpenAPI), api_webhooks.cpp (Stripe and generic webhooks), api_schedules.cpp
// (list, pause, resume schedules). BuildRouter assembles them and puts the
// rate limits in front of the webhook and start-run routes.
#pragma once

#include "engine/engine.hpp"
#include "engine/rate_limit.hpp"
#include "engine/router.hpp"

namespace sagaflow {

Router BuildRouter(Engine& engine, TokenAuth auth);

void AddRunRoutes(Router& router, Engine& engine);
void AddAdminRoutes(Router& router, Engine& engine);
void AddSystemRoutes(Router& router, Engine& engine);
void AddWebhookRoutes(Router& router, Engine& engine);
void AddScheduleRoutes(Router& router, Engine& engine);

// Helpers shared by the route files.
namespace api {

// The JSON body of a request. Empty bodies read as {} when `allow_empty`.
// 415 unless Content-Type is application/json; 400 for malformed JSON or a
// body that is not an object.
Json JsonBody(const HttpRequest& request, bool allow_empty);
// `limit` query parameter within [1, max].
int Limit(const HttpRequest& request, int fallback, int max);
// The {id} path parameter when it is a run id; 404 otherwise.
std::string RunId(const HttpRequest& request);
void RejectUnknownKeys(const Json& body, const std::vector<std::string>& allowed);

// `handler` behind a token bucket per key(request, caller): over the limit
// it answers 429 with Retry-After and never runs. `limit` names it in
// /metrics (sagaflow_rate_limited_total{limit=...}).
Handler RateLimited(std::shared_ptr<RateLimiter> limiter, std::string limit,
                    std::function<std::string(const HttpRequest&, const Caller&)> key,
                    Handler handler);

}  // namespace api
}  // namespace sagaflow
