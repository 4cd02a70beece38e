// GET /v1/schedules: the schedule triggers of the loaded workflows with
// their next and last fire times; POST /admin/schedules/{id}/pause and
// /resume: an operator stops or restarts a schedule, audited like every
// admin action. A paused schedule's ticks start nothing and are never caught
// up after the resume.
#include "engine/api.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

Json OptionalTime(const std::optional<TimePoint>& time) {
  return time ? Json(FormatIso(*time)) : Json();
}

Json OptionalText(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json();
}

Json ScheduleJson(const ScheduleView& view) {
  const ScheduleTrigger& trigger = *view.spec.trigger;
  const ScheduleRecord& record = view.record;
  return Json{{"id", view.spec.id},
              {"workflow", view.spec.definition->name},
              {"version", view.spec.definition->version},
              {"cron", trigger.cron_text},
              {"timezone", trigger.timezone_name},
              {"catch_up", CatchUpName(trigger.catch_up)},
              {"paused", record.paused},
              {"paused_at", OptionalTime(record.paused_at)},
              {"paused_by", OptionalText(record.paused_by)},
              {"pause_reason", OptionalText(record.pause_reason)},
              {"next_fire_at", OptionalTime(view.next_fire_at)},
              {"last_fire_at", OptionalTime(record.last_fire_at)},
              {"last_run_id", OptionalText(record.last_run_id)},
              {"last_error", OptionalText(record.last_error)}};
}

HttpResponse SetPaused(Engine& engine, const HttpRequest& request, const Caller& caller,
                       bool pause) {
  const std::string& id = request.params.at("id");
  const Json body = api::JsonBody(request, false);
  api::RejectUnknownKeys(body, {"reason"});
  if (!body.contains("reason") || !body["reason"].is_string() ||
      body["reason"].get<std::string>().empty()) {
    throw ApiError(ApiErrorKind::kBadRequest, "reason_required",
                   "say why: every admin action needs a non-empty \"reason\"");
  }
  if (!engine.scheduler().Has(id)) {
    throw ApiError(ApiErrorKind::kNotFound, "schedule_not_found", "no schedule " + id);
  }
  SchedulePauseRequest change;
  change.schedule_id = id;
  change.pause = pause;
  change.actor = caller.name;
  change.reason = body["reason"].get<std::string>();
  change.now = engine.scheduler().Now();
  change.request = Json{{"schedule", id}, {"reason", change.reason}};
  const SchedulePauseResult result = engine.store().SetSchedulePaused(change);
  if (!result.found)
    throw ApiError(ApiErrorKind::kNotFound, "schedule_not_found", "no schedule " + id);
  if (!result.changed) {
    const std::string state = result.paused ? "paused" : "active";
    throw ApiError(
        ApiErrorKind::kConflict, "wrong_state",
        std::string("cannot ") + (pause ? "pause" : "resume") + " a schedule that is " + state,
        Json{{"status", state}});
  }
  return HttpResponse::FromJson(200, Json{{"id", id},
                                          {"action", pause ? "pause" : "resume"},
                                          {"accepted", true},
                                          {"paused", pause}});
}

}  // namespace

void AddScheduleRoutes(Router& router, Engine& engine) {
  router.Add({"GET", "/v1/schedules", Access::kApi, [&engine](const HttpRequest&, const Caller&) {
                Json list = Json::array();
                for (const auto& view : engine.scheduler().List())
                  list.push_back(ScheduleJson(view));
                return HttpResponse::FromJson(200, Json{{"schedules", list}});
              }});
  for (const bool pause : {true, false}) {
    router.Add({"POST", std::string("/admin/schedules/{id}/") + (pause ? "pause" : "resume"),
                Access::kAdmin, [&engine, pause](const HttpRequest& r, const Caller& c) {
                  return SetPaused(engine, r, c, pause);
                }});
  }
}

}  // namespace sagaflow
