// Liveness, readiness, Prometheus metrics and the OpenAPI document.
#include "engine/api.hpp"
#include "engine/metrics.hpp"
#include "engine/migrations.hpp"
#include "engine/openapi.hpp"
#include "steps/circuit_breaker.hpp"

namespace sagaflow {

namespace {

// Gauges read from the database at each scrape.
void RefreshRunGauges(Engine& engine) {
  MetricsRegistry& metrics = Metrics();
  try {
    auto counts = engine.store().CountActiveRuns();
    for (const char* status :
         {"pending", "running", "compensating", "cancelling", "paused", "stuck"}) {
      metrics.Set("sagaflow_runs", {{"status", status}}, static_cast<double>(counts[status]));
    }
    metrics.Set("sagaflow_runs_due", {}, static_cast<double>(counts["due"]));
  } catch (const std::exception&) {
    // The database is away; /readyz says so. Keep the last values.
  }
}

}  // namespace

void AddSystemRoutes(Router& router, Engine& engine) {
  router.Add({"GET", "/healthz", Access::kPublic, [](const HttpRequest&, const Caller&) {
                return HttpResponse::FromJson(200, Json{{"status", "alive"}});
              }});
  router.Add({"GET", "/readyz", Access::kPublic, [&engine](const HttpRequest&, const Caller&) {
                Json checks = Json::object();
                bool ready = true;
                try {
                  engine.store().Ping();
                  checks["database"] = "ok";
                  const int applied = AppliedMigrationVersion(engine.database_url());
                  const bool current = applied == LatestMigrationVersion();
                  checks["migrations"] = current ? "ok"
                                                 : "at " + std::to_string(applied) + ", expected " +
                                                       std::to_string(LatestMigrationVersion());
                  ready = current;
                } catch (const std::exception&) {
                  checks["database"] = "unreachable";
                  ready = false;
                }
                const bool workers = engine.executor().running();
                checks["workers"] = workers ? "ok" : "stopped";
                ready = ready && workers;
                return HttpResponse::FromJson(ready ? 200 : 503,
                                              Json{{"ready", ready}, {"checks", checks}});
              }});
  router.Add({"GET", "/metrics", Access::kPublic, [&engine](const HttpRequest&, const Caller&) {
                RefreshRunGauges(engine);
                return HttpResponse::Text(200,
                                          Metrics().Render() + steps::CircuitBreakerMetricsText(),
                                          "text/plain; version=0.0.4; charset=utf-8");
              }});
  router.Add({"GET", "/openapi.json", Access::kPublic, [](const HttpRequest&, const Caller&) {
                return HttpResponse::Text(200, OpenApiDocument(), "application/json");
              }});
}

}  // namespace sagaflow
