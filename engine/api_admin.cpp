// Operator endpoints: runs that need a person, their full history, the
// actions that put them back on their way (with dry runs), and the audit log.
#include "engine/admin_actions.hpp"
#include "engine/api.hpp"
#include "engine/run_view.hpp"

namespace sagaflow {

HttpResponse ListRuns(Engine& engine, const HttpRequest& request);  // api_runs.cpp

namespace {

RunRecord LoadRun(Engine& engine, const std::string& id) {
  auto run = engine.store().GetRun(id);
  if (!run) throw ApiError(ApiErrorKind::kNotFound, "run_not_found", "no run " + id);
  return *run;
}

HttpResponse Act(Engine& engine, const std::string& action, const HttpRequest& request,
                 const Caller& caller) {
  const std::string id = api::RunId(request);
  const Json body = api::JsonBody(request, false);
  api::RejectUnknownKeys(body, {"reason", "params", "output"});
  if (!body.contains("reason") || !body["reason"].is_string() ||
      body["reason"].get<std::string>().empty()) {
    throw ApiError(ApiErrorKind::kBadRequest, "reason_required",
                   "say why: every admin action needs a non-empty \"reason\"");
  }
  if (body.contains("params") && (action != "resume" || !body["params"].is_object())) {
    throw ApiError(ApiErrorKind::kBadRequest, "bad_field",
                   "params (an object) is only taken by resume");
  }
  if (body.contains("output") && action != "skip") {
    throw ApiError(ApiErrorKind::kBadRequest, "bad_field", "output is only taken by skip");
  }
  const auto allowed = AllowedStatuses(action);
  auto wrong_state = [&](const std::string& status) {
    std::string list;
    for (const auto& s : allowed) list += (list.empty() ? "" : ", ") + s;
    return ApiError(ApiErrorKind::kConflict, "wrong_state",
                    "cannot " + action + " a run that is " + status + " (only when " + list + ")",
                    Json{{"status", status}});
  };
  if (request.QueryValue("dry_run") == "true") {
    const RunRecord run = LoadRun(engine, id);
    if (std::find(allowed.begin(), allowed.end(), run.status) == allowed.end()) {
      throw wrong_state(run.status);
    }
    DefinitionPtr definition = engine.catalog().Get(run.workflow, run.version);
    if (!definition) throw ApiError(ApiErrorKind::kInternal, "no_definition", "definition missing");
    Json answer = DescribeAction(*definition, run, action, body);
    answer["dry_run"] = true;
    return HttpResponse::FromJson(200, answer);
  }
  // The store checks the state and records the attempt in the audit log in
  // one statement, refused or not.
  CommandRequest command;
  command.run_id = id;
  command.action = action;
  command.allowed_statuses = allowed;
  command.actor = caller.name;
  command.reason = body["reason"].get<std::string>();
  command.command = body;
  command.command["action"] = action;
  command.command["actor"] = caller.name;
  const CommandResult result = engine.store().RequestCommand(command);
  if (!result.found) throw ApiError(ApiErrorKind::kNotFound, "run_not_found", "no run " + id);
  if (!result.accepted && result.busy) {
    throw ApiError(ApiErrorKind::kConflict, "action_pending",
                   "an earlier action on this run is still being applied; try again shortly",
                   Json{{"status", result.status}});
  }
  if (!result.accepted) throw wrong_state(result.status);
  return HttpResponse::FromJson(
      202, Json{{"run_id", id}, {"action", action}, {"accepted", true}, {"status", result.status}});
}

}  // namespace

void AddAdminRoutes(Router& router, Engine& engine) {
  router.Add({"GET", "/admin/runs", Access::kAdmin, [&engine](const HttpRequest& r, const Caller&) {
                if (r.QueryValues("status").empty()) {
                  // By default: the runs that need a person.
                  HttpRequest copy = r;
                  copy.query.emplace("status", "stuck,paused");
                  return ListRuns(engine, copy);
                }
                return ListRuns(engine, r);
              }});
  router.Add({"GET", "/admin/runs/{id}/history", Access::kAdmin,
              [&engine](const HttpRequest& r, const Caller&) {
                const std::string id = api::RunId(r);
                LoadRun(engine, id);
                return HttpResponse::FromJson(
                    200, Json{{"run_id", id}, {"events", HistoryJson(engine.store().History(id))}});
              }});
  for (const auto& action : AdminActions()) {
    router.Add({"POST", "/admin/runs/{id}/" + action, Access::kAdmin,
                [&engine, action](const HttpRequest& r, const Caller& c) {
                  return Act(engine, action, r, c);
                }});
  }
  router.Add(
      {"GET", "/admin/audit", Access::kAdmin, [&engine](const HttpRequest& r, const Caller&) {
         std::optional<long long> before;
         if (auto after = r.QueryValue("after")) {
           if (after->empty() || after->size() > 18 ||
               after->find_first_not_of("0123456789") != std::string::npos) {
             throw ApiError(ApiErrorKind::kBadRequest, "bad_cursor",
                            "the after cursor is not one this server gave out");
           }
           before = std::stoll(*after);
         }
         const int limit = api::Limit(r, 50, 500);
         const auto entries = engine.store().ListAudit(limit, before);
         Json list = Json::array();
         for (const auto& entry : entries) list.push_back(AuditJson(entry));
         Json body{{"entries", list}};
         body["next"] = static_cast<int>(entries.size()) == limit
                            ? Json(std::to_string(entries.back().id))
                            : Json();
         return HttpResponse::FromJson(200, body);
       }});
}

}  // namespace sagaflow
