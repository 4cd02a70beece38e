// The trigger side of PgStore: webhook deliveries and schedule ticks, each
// recorded together with the runs it starts in one statement (SQL in
// engine/pg_sql.hpp), and the schedules' listing, pause and resume.
#include <pqxx/pqxx>

#include "engine/errors.hpp"
#include "engine/pg_sql.hpp"
#include "engine/pg_store.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

std::optional<std::string> Text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str());
}

std::optional<TimePoint> Time(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return ParseTimestamp(field.c_str());
}

ScheduleRecord ScheduleRow(const pqxx::row& row) {
  ScheduleRecord s;
  s.id = row[0].c_str();
  s.workflow = row[1].c_str();
  s.cron = row[2].c_str();
  s.timezone = row[3].c_str();
  s.registered_at = *Time(row[4]);
  s.checked_through = *Time(row[5]);
  s.last_fire_at = Time(row[6]);
  s.last_run_id = Text(row[7]);
  s.last_error = Text(row[8]);
  s.paused = row[9].as<bool>();
  s.paused_at = Time(row[10]);
  s.paused_by = Text(row[11]);
  s.pause_reason = Text(row[12]);
  return s;
}

}  // namespace

WebhookDeliveryResult PgStore::RecordWebhookEvent(const WebhookDelivery& delivery) {
  Json runs = Json::array();
  for (const auto& run : delivery.runs) {
    runs.push_back(Json{{"id", run.id},
                        {"workflow", run.workflow},
                        {"version", run.version},
                        {"input", run.input}});
  }
  const std::string payload = delivery.payload.dump();
  const std::string runs_text = runs.dump();
  const std::string rejected = delivery.rejected.dump();
  WebhookDeliveryResult result;
  bool found = false;
  // Two deliveries of one event at once: the second waits for the first's
  // commit on the unique key and inserts nothing, but its snapshot predates
  // that commit, so it sees no row either. The next attempt does.
  for (int attempt = 0; attempt < 3 && !found; ++attempt) {
    pool_.Run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);  // one statement commits on its own
      const pqxx::result rows =
          tx.exec_prepared(sql::kRecordWebhookEvent.name, delivery.source, delivery.event_id,
                           delivery.event_type, payload, runs_text, rejected);
      if (rows.empty()) return;
      found = true;
      result.first = rows[0][0].as<bool>();
      result.runs = Json::parse(rows[0][1].c_str());
      result.rejected = Json::parse(rows[0][2].c_str());
      result.received_at = *Time(rows[0][3]);
    });
  }
  if (!found) throw RetryableStoreError("could not record or find the webhook event; try again");
  return result;
}

ScheduleRecord PgStore::RegisterSchedule(const ScheduleRecord& schedule, TimePoint now) {
  ScheduleRecord stored;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    const pqxx::result rows =
        tx.exec_prepared(sql::kRegisterSchedule.name, schedule.id, schedule.workflow, schedule.cron,
                         schedule.timezone, FormatIso(now));
    stored = ScheduleRow(rows[0]);
  });
  return stored;
}

ScheduleTickResult PgStore::FireScheduleTick(const ScheduleTick& tick) {
  ScheduleTickResult result;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    const pqxx::result rows = tx.exec_prepared(
        sql::kFireScheduleTick.name, tick.schedule_id, FormatIso(tick.fire_at), tick.run.id,
        tick.run.workflow, tick.run.version, tick.run.input.dump(), tick.run.trigger.dump());
    result.found = rows[0][0].as<long long>() == 1;
    result.paused = rows[0][1].as<bool>();
    result.created = rows[0][2].as<long long>() == 1;
  });
  return result;
}

void PgStore::SkipScheduleTicks(const std::string& schedule_id, TimePoint through,
                                const std::optional<std::string>& error) {
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    tx.exec_prepared(sql::kSkipScheduleTicks.name, schedule_id, FormatIso(through), error);
  });
}

std::vector<ScheduleRecord> PgStore::ListSchedules() {
  std::vector<ScheduleRecord> schedules;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& row : tx.exec_prepared(sql::kListSchedules.name)) {
      schedules.push_back(ScheduleRow(row));
    }
  });
  return schedules;
}

SchedulePauseResult PgStore::SetSchedulePaused(const SchedulePauseRequest& request) {
  SchedulePauseResult result;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    const pqxx::result rows = tx.exec_prepared(
        sql::kSetSchedulePaused.name, request.schedule_id, request.pause, request.actor,
        request.reason, FormatIso(request.now),
        std::string(request.pause ? "pause-schedule" : "resume-schedule"), request.request.dump());
    result.found = rows[0][0].as<long long>() == 1;
    result.paused = rows[0][1].as<bool>();
    result.changed = rows[0][2].as<long long>() == 1;
  });
  return result;
}

}  // namespace sagaflow
