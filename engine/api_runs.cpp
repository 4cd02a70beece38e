// Starting, reading and listing runs; reading definitions.
#include "engine/api.hpp"
#include "engine/hash.hpp"
#include "engine/ids.hpp"
#include "engine/plan.hpp"
#include "engine/run_view.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

Json TriggersJson(const WorkflowDefinition& definition) {
  Json triggers = Json::array();
  for (const auto& trigger : definition.triggers) {
    switch (trigger.kind) {
      case Trigger::Kind::kHttp:
        triggers.push_back({{"kind", "http"}});
        break;
      case Trigger::Kind::kWebhook:
        triggers.push_back({{"kind", "webhook"},
                            {"source", trigger.webhook.source},
                            {"events", trigger.webhook.events}});
        break;
      case Trigger::Kind::kSchedule:
        triggers.push_back({{"kind", "schedule"},
                            {"cron", trigger.schedule->cron_text},
                            {"timezone", trigger.schedule->timezone_name}});
        break;
    }
  }
  return triggers;
}

Json WorkflowJson(const WorkflowDefinition& definition, bool full) {
  Json json{{"name", definition.name},
            {"version", definition.version},
            {"description", definition.description},
            {"triggers", TriggersJson(definition)},
            {"content_hash", definition.content_hash}};
  if (full) {
    json["input"] = definition.input_schema_source;
    json["plan"] = PlanJson(definition);
  }
  return json;
}

bool StartableOverHttp(const WorkflowDefinition& definition) {
  for (const auto& trigger : definition.triggers) {
    if (trigger.kind == Trigger::Kind::kHttp) return true;
  }
  return false;
}

HttpResponse StartRun(Engine& engine, const HttpRequest& request, const Caller& caller) {
  const std::string& name = request.params.at("name");
  DefinitionPtr definition = engine.catalog().Latest(name);
  if (!definition) {
    throw ApiError(ApiErrorKind::kNotFound, "unknown_workflow", "no workflow named '" + name + "'");
  }
  const Json body = api::JsonBody(request, true);
  api::RejectUnknownKeys(body, {"input"});
  const Json input = body.value("input", Json::object());
  if (!input.is_object()) {
    throw ApiError(ApiErrorKind::kBadRequest, "invalid_input", "input must be a JSON object");
  }
  if (!StartableOverHttp(*definition)) {
    throw ApiError(ApiErrorKind::kForbidden, "no_http_trigger",
                   "workflow '" + name + "' is not started over HTTP (it has no http trigger)");
  }
  auto checked = definition->input_schema->check_input(input);
  if (!checked.ok()) {
    Json details = Json::array();
    std::string summary;
    for (const auto& violation : checked.violations) {
      details.push_back({{"path", violation.path}, {"message", violation.message}});
      if (summary.empty()) summary = to_string(violation);
    }
    throw ApiError(
        ApiErrorKind::kBadRequest, "invalid_input",
        std::to_string(checked.violations.size()) + " problem(s) with the input, first: " + summary,
        details);
  }
  NewRun run;
  run.id = NewUuid();
  run.workflow = definition->name;
  run.version = definition->version;
  run.input = checked.value;
  run.trigger = Json{{"kind", "http"}, {"caller", caller.name}};
  if (auto key = request.Header("Idempotency-Key")) {
    if (key->empty() || key->size() > 255) {
      throw ApiError(ApiErrorKind::kBadRequest, "bad_idempotency_key",
                     "Idempotency-Key must be 1 to 255 characters");
    }
    // The key is scoped to the workflow; the hash tells a retry from misuse.
    run.idempotency_key = name + "/" + *key;
    run.request_hash = Sha256Hex(name + "\n" + Json{{"input", input}}.dump());
  }
  const CreateRunResult created = engine.executor().StartRun(run);
  if (!created.created && created.request_hash != run.request_hash) {
    throw ApiError(ApiErrorKind::kConflict, "idempotency_key_reused",
                   "this Idempotency-Key was used for a different request",
                   Json{{"run_id", created.id}});
  }
  HttpResponse response =
      HttpResponse::FromJson(created.created ? 202 : 200, Json{{"id", created.id},
                                                               {"workflow", definition->name},
                                                               {"version", definition->version},
                                                               {"status", created.status},
                                                               {"created", created.created}});
  response.headers.emplace_back("Location", "/v1/runs/" + created.id);
  return response;
}

HttpResponse GetRun(Engine& engine, const HttpRequest& request) {
  const std::string id = api::RunId(request);
  auto run = engine.store().GetRun(id);
  if (!run) throw ApiError(ApiErrorKind::kNotFound, "run_not_found", "no run " + id);
  return HttpResponse::FromJson(200, RunJson(*run, engine.store().History(id)));
}

}  // namespace

// Shared by GET /v1/runs and GET /admin/runs.
HttpResponse ListRuns(Engine& engine, const HttpRequest& request) {
  RunFilter filter;
  filter.limit = api::Limit(request, 50, 500);
  filter.workflows = request.QueryValues("workflow");
  for (const auto& value : request.QueryValues("status")) {
    // Both ?status=a&status=b and ?status=a,b are accepted.
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      const std::string status = value.substr(start, comma - start);
      if (!run_status::IsKnown(status)) {
        throw ApiError(ApiErrorKind::kBadRequest, "bad_status",
                       "unknown status '" + status +
                           "'; use pending, running, completed, compensating, compensated, "
                           "paused, stuck, cancelling or cancelled");
      }
      filter.statuses.push_back(status);
      start = comma + 1;
    }
  }
  for (const char* bound : {"created_after", "created_before"}) {
    if (auto text = request.QueryValue(bound)) {
      auto time = ParseTimestamp(*text);
      if (!time) {
        throw ApiError(ApiErrorKind::kBadRequest, "bad_time",
                       std::string(bound) + " must be an RFC 3339 time, e.g. 2026-12-04T15:00:00Z");
      }
      (std::string(bound) == "created_after" ? filter.created_after : filter.created_before) = time;
    }
  }
  if (auto cursor = request.QueryValue("after")) {
    filter.before = DecodeRunCursor(*cursor);
    if (!filter.before) {
      throw ApiError(ApiErrorKind::kBadRequest, "bad_cursor",
                     "the after cursor is not one this server gave out");
    }
  }
  const auto runs = engine.store().ListRuns(filter);
  Json items = Json::array();
  for (const auto& run : runs) items.push_back(RunSummaryJson(run));
  Json body{{"runs", items}};
  body["next"] =
      static_cast<int>(runs.size()) == filter.limit ? Json(EncodeRunCursor(runs.back())) : Json();
  return HttpResponse::FromJson(200, body);
}

void AddRunRoutes(Router& router, Engine& engine) {
  router.Add({"POST", "/v1/workflows/{name}/runs", Access::kApi,
              [&engine](const HttpRequest& r, const Caller& c) { return StartRun(engine, r, c); }});
  router.Add({"GET", "/v1/runs/{id}", Access::kApi,
              [&engine](const HttpRequest& r, const Caller&) { return GetRun(engine, r); }});
  router.Add({"GET", "/v1/runs", Access::kApi,
              [&engine](const HttpRequest& r, const Caller&) { return ListRuns(engine, r); }});
  router.Add({"GET", "/v1/workflows", Access::kApi, [&engine](const HttpRequest&, const Caller&) {
                Json list = Json::array();
                for (const auto& definition : engine.catalog().LatestAll()) {
                  list.push_back(WorkflowJson(*definition, false));
                }
                return HttpResponse::FromJson(200, Json{{"workflows", list}});
              }});
  router.Add(
      {"GET", "/v1/workflows/{name}", Access::kApi, [&engine](const HttpRequest& r, const Caller&) {
         DefinitionPtr definition = engine.catalog().Latest(r.params.at("name"));
         if (!definition) {
           throw ApiError(ApiErrorKind::kNotFound, "unknown_workflow",
                          "no workflow named '" + r.params.at("name") + "'");
         }
         return HttpResponse::FromJson(200, WorkflowJson(*definition, true));
       }});
}

}  // namespace sagaflow
