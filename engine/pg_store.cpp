#include "engine/pg_store.hpp"

#include <pqxx/pqxx>

#include "engine/errors.hpp"
#include "engine/pg_sql.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

std::string Interval(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + " milliseconds";
}

// A PostgreSQL array literal of uuids: {a,b,c}. Ids are checked UUIDs.
std::string UuidArray(const std::vector<std::string>& ids) {
  std::string text = "{";
  for (size_t i = 0; i < ids.size(); ++i) text += (i ? "," : "") + ids[i];
  return text + "}";
}

std::string TextArray(const std::vector<std::string>& items) {
  std::string text = "{";
  for (size_t i = 0; i < items.size(); ++i) text += (i ? ",\"" : "\"") + items[i] + "\"";
  return text + "}";
}

Json JsonField(const pqxx::field& field) {
  return field.is_null() ? Json() : Json::parse(field.c_str());
}

std::optional<std::string> TextField(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str());
}

std::optional<TimePoint> TimeField(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return ParseTimestamp(field.c_str());
}

Phase PhaseField(const pqxx::field& field) {
  return std::string(field.c_str()) == "compensate" ? Phase::kCompensate : Phase::kForward;
}

// The step rows and history events of a transition, as the JSON arrays the
// SQL statements unpack. Written straight into a string: params and outputs
// are dumped where they are, not copied into a new JSON tree first.
std::string Quote(const std::string& text) {
  return Json(text).dump();
}
std::string TimeOrNull(const std::optional<TimePoint>& t) {
  return t ? Quote(FormatIso(*t)) : "null";
}
std::string TextOrNull(const std::optional<std::string>& v) {
  return v ? Quote(*v) : "null";
}
std::string IntOrNull(const std::optional<int>& v) {
  return v ? std::to_string(*v) : "null";
}

// Appends {"key":value,...}; each value is JSON text already.
void AppendObject(std::string& out,
                  std::initializer_list<std::pair<const char*, std::string>> fields) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : fields) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += key;
    out += "\":";
    out += value;
  }
  out += '}';
}

std::string StepsJson(const std::vector<StepRecord>& steps) {
  std::string out = "[";
  for (const auto& step : steps) {
    if (out.size() > 1) out += ',';
    AppendObject(out, {{"step_id", Quote(step.step_id)},
                       {"phase", Quote(PhaseName(step.phase))},
                       {"status", Quote(step.status)},
                       {"attempts", std::to_string(step.attempts)},
                       {"params", step.params.dump()},
                       {"output", step.output.dump()},
                       {"error", step.error.dump()},
                       {"uncertain", step.uncertain ? "true" : "false"},
                       {"started_at", TimeOrNull(step.started_at)},
                       {"finished_at", TimeOrNull(step.finished_at)},
                       {"completed_seq", IntOrNull(step.completed_seq)}});
  }
  return out + "]";
}

std::string EventsJson(const std::vector<HistoryEvent>& events) {
  std::string out = "[";
  for (const auto& event : events) {
    if (out.size() > 1) out += ',';
    AppendObject(out, {{"type", Quote(event.type)},
                       {"step_id", TextOrNull(event.step_id)},
                       {"phase", event.phase ? Quote(PhaseName(*event.phase)) : "null"},
                       {"attempt", IntOrNull(event.attempt)},
                       {"data", event.data.dump()}});
  }
  return out + "]";
}

}  // namespace

PgStore::PgStore(std::string url, int pool_size) : pool_(std::move(url), pool_size) {}

void PgStore::SaveDefinition(const WorkflowDefinition& definition) {
  std::optional<StoredDefinition> stored;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    tx.exec_prepared(sql::kSaveDefinition.name, definition.name, definition.version,
                     definition.content_hash, definition.source_text, definition.file);
  });
  stored = FindDefinition(definition.name, definition.version);
  if (stored && stored->content_hash != definition.content_hash) {
    throw Conflict("workflow '" + definition.name + "' version " +
                   std::to_string(definition.version) +
                   " was loaded before with different content (from " + stored->file +
                   "); give the changed definition a new version number");
  }
}

std::optional<StoredDefinition> PgStore::FindDefinition(const std::string& name, int version) {
  std::optional<StoredDefinition> found;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec_prepared(sql::kFindDefinition.name, name, version);
    if (rows.empty()) return;
    found = StoredDefinition{rows[0][0].c_str(), rows[0][1].as<int>(), rows[0][2].c_str(),
                             rows[0][3].c_str(), rows[0][4].c_str()};
  });
  return found;
}

CreateRunResult PgStore::CreateRun(const NewRun& run, std::chrono::milliseconds lease) {
  CreateRunResult result;
  bool found = false;
  const Transition* start = run.start ? &*run.start : nullptr;
  std::optional<std::string> status, current_step, current_phase;
  if (start) {
    status = start->status;
    current_step = start->current_step;
    if (current_step) current_phase = PhaseName(start->current_phase);
  }
  const std::string steps = start ? StepsJson(start->steps) : "[]";
  const std::string events = start ? EventsJson(start->events) : "[]";
  // A concurrent insert of the same idempotency key can commit after this
  // statement's snapshot; the second attempt then sees it.
  for (int attempt = 0; attempt < 3 && !found; ++attempt) {
    pool_.Run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);  // one statement commits on its own
      const pqxx::result rows = tx.exec_prepared(
          sql::kCreateRun.name, run.id, run.workflow, run.version, run.input.dump(),
          run.trigger.dump(), run.idempotency_key, run.request_hash, run.lease_owner,
          Interval(lease), status, current_step, current_phase, steps, events);
      if (rows.empty()) return;
      found = true;
      result.id = rows[0][0].c_str();
      result.created = rows[0][1].as<bool>();
      result.lease_token = rows[0][2].as<long long>();
      result.request_hash = TextField(rows[0][3]);
      result.status = rows[0][4].c_str();
      result.created_at = *TimeField(rows[0][5]);
    });
  }
  if (!found) throw RetryableStoreError("could not create or find the run; try again");
  return result;
}

std::optional<RunRecord> PgStore::GetRun(const std::string& id) {
  std::optional<RunRecord> run;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);  // one snapshot for the run and its steps
    const pqxx::result rows = tx.exec_prepared(sql::kGetRun.name, id);
    if (rows.empty()) return;
    const pqxx::row row = rows[0];
    RunRecord r;
    r.id = row[0].c_str();
    r.workflow = row[1].c_str();
    r.version = row[2].as<int>();
    r.status = row[3].c_str();
    r.input = JsonField(row[4]);
    r.output = JsonField(row[5]);
    r.error = JsonField(row[6]);
    r.trigger = JsonField(row[7]);
    r.current_step = TextField(row[8]);
    r.current_phase = row[9].is_null() ? Phase::kForward : PhaseField(row[9]);
    r.attention_reason = TextField(row[10]);
    r.command = JsonField(row[11]);
    r.created_at = *TimeField(row[12]);
    r.updated_at = *TimeField(row[13]);
    r.finished_at = TimeField(row[14]);
    r.due_at = TimeField(row[15]);
    r.lease_owner = TextField(row[16]);
    r.lease_token = row[17].as<long long>();
    for (const auto& s : tx.exec_prepared(sql::kGetRunSteps.name, id)) {
      StepRecord step;
      step.step_id = s[0].c_str();
      step.phase = PhaseField(s[1]);
      step.status = s[2].c_str();
      step.attempts = s[3].as<int>();
      step.params = JsonField(s[4]);
      step.output = JsonField(s[5]);
      step.error = JsonField(s[6]);
      step.uncertain = s[7].as<bool>();
      step.started_at = TimeField(s[8]);
      step.finished_at = TimeField(s[9]);
      if (!s[10].is_null()) step.completed_seq = s[10].as<int>();
      r.steps.push_back(std::move(step));
    }
    tx.commit();
    run = std::move(r);
  });
  return run;
}

std::vector<HistoryEvent> PgStore::History(const std::string& id) {
  std::vector<HistoryEvent> events;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& row : tx.exec_prepared(sql::kHistory.name, id)) {
      HistoryEvent event;
      event.id = row[0].as<long long>();
      event.at = *TimeField(row[1]);
      event.type = row[2].c_str();
      event.step_id = TextField(row[3]);
      if (!row[4].is_null()) event.phase = PhaseField(row[4]);
      if (!row[5].is_null()) event.attempt = row[5].as<int>();
      event.data = JsonField(row[6]);
      events.push_back(std::move(event));
    }
  });
  return events;
}

std::vector<ClaimedRun> PgStore::ClaimDue(const std::string& owner, int limit,
                                          std::chrono::milliseconds lease) {
  std::vector<ClaimedRun> claimed;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    for (const auto& row : tx.exec_prepared(sql::kClaimDue.name, owner, limit, Interval(lease))) {
      claimed.push_back({row[0].c_str(), row[1].as<long long>(), TextField(row[2])});
    }
  });
  return claimed;
}

std::optional<TimePoint> PgStore::NextDueAt() {
  std::optional<TimePoint> due;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec_prepared(sql::kNextDueAt.name);
    due = TimeField(rows[0][0]);
  });
  return due;
}

CommitResult PgStore::Commit(const std::string& run_id, long long lease_token,
                             const Transition& t) {
  const std::string steps = StepsJson(t.steps);
  const std::string events = EventsJson(t.events);
  std::optional<std::string> wake;
  std::optional<std::string> notify;
  if (t.release && t.wake_at) {
    wake = FormatIso(*t.wake_at);
    notify = std::to_string(EpochMillis(*t.wake_at));
  }
  CommitResult result;
  pool_.Run([&](pqxx::connection& c) {
    // One statement, so no BEGIN/COMMIT round trips: PostgreSQL commits it
    // on its own, and a fenced-out statement changes nothing.
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec_prepared(
        sql::kCommitTransition.name, run_id, lease_token, t.status, t.current_step,
        t.current_step ? std::optional<std::string>(PhaseName(t.current_phase)) : std::nullopt,
        t.attention_reason, t.output.has_value(), t.output ? t.output->dump() : "null",
        t.error.has_value(), t.error ? t.error->dump() : "null", t.clear_command, t.finished,
        t.release, wake, steps, events, notify);
    if (rows[0][0].as<long long>() != 1) {
      throw LeaseLost("run " + run_id + " was claimed by another process");
    }
    result.command = JsonField(rows[0][1]);
    result.now = *TimeField(rows[0][2]);
  });
  return result;
}

void PgStore::RenewLeases(const std::string& owner, const std::vector<std::string>& run_ids,
                          std::chrono::milliseconds lease) {
  if (run_ids.empty()) return;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    tx.exec_prepared(sql::kRenewLeases.name, owner, UuidArray(run_ids), Interval(lease));
  });
}

void PgStore::ReleaseLeases(const std::string& owner, const std::vector<std::string>& run_ids) {
  if (run_ids.empty()) return;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    tx.exec_prepared(sql::kReleaseLeases.name, owner, UuidArray(run_ids));
  });
}

CommandResult PgStore::RequestCommand(const CommandRequest& request) {
  CommandResult result;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement commits on its own
    const pqxx::result rows = tx.exec_prepared(
        sql::kRequestCommand.name, request.run_id, TextArray(request.allowed_statuses),
        request.command.dump(), request.actor, request.action, request.reason);
    result.found = rows[0][0].as<long long>() == 1;
    result.status = rows[0][1].is_null() ? "" : rows[0][1].c_str();
    result.busy = !rows[0][2].is_null() && rows[0][2].as<bool>();
    result.accepted = rows[0][3].as<long long>() == 1;
  });
  return result;
}

}  // namespace sagaflow
