// The listing side of PgStore: runs with filters and keyset paging, the
// audit log, counts for /metrics and the readiness ping. Run listings build
// their WHERE clause from the filters in use, so each shape gets a plan that
// fits its index.
#include <pqxx/pqxx>

#include "engine/pg_store.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

std::string TextArray(const std::vector<std::string>& items) {
  std::string text = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    std::string quoted;
    for (char c : items[i]) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    text += (i ? ",\"" : "\"") + quoted + "\"";
  }
  return text + "}";
}

}  // namespace

std::vector<RunRecord> PgStore::ListRuns(const RunFilter& filter) {
  std::vector<RunRecord> runs;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::string sql =
        "SELECT id, workflow, version, status, created_at, updated_at, finished_at, "
        "attention_reason, error, current_step, current_phase FROM runs WHERE true";
    std::vector<std::string> params;
    auto param = [&](std::string value) {
      params.push_back(std::move(value));
      return "$" + std::to_string(params.size());
    };
    if (!filter.workflows.empty())
      sql += " AND workflow = ANY(" + param(TextArray(filter.workflows)) + "::text[])";
    if (!filter.statuses.empty())
      sql += " AND status = ANY(" + param(TextArray(filter.statuses)) + "::text[])";
    if (filter.created_after)
      sql += " AND created_at > " + param(FormatIso(*filter.created_after)) + "::timestamptz";
    if (filter.created_before)
      sql += " AND created_at < " + param(FormatIso(*filter.created_before)) + "::timestamptz";
    if (filter.before) {
      // Microseconds matter for paging: format the cursor time exactly.
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              filter.before->first.time_since_epoch())
                              .count();
      sql += " AND (created_at, id) < (to_timestamp(" + param(std::to_string(micros)) +
             "::double precision / 1e6), " + param(filter.before->second) + "::uuid)";
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(filter.limit);
    const pqxx::result rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    for (const auto& row : rows) {
      RunRecord run;
      run.id = row[0].c_str();
      run.workflow = row[1].c_str();
      run.version = row[2].as<int>();
      run.status = row[3].c_str();
      run.created_at = *ParseTimestamp(row[4].c_str());
      run.updated_at = *ParseTimestamp(row[5].c_str());
      if (!row[6].is_null()) run.finished_at = ParseTimestamp(row[6].c_str());
      if (!row[7].is_null()) run.attention_reason = std::string(row[7].c_str());
      if (!row[8].is_null()) run.error = Json::parse(row[8].c_str());
      if (!row[9].is_null()) run.current_step = std::string(row[9].c_str());
      if (!row[10].is_null() && std::string(row[10].c_str()) == "compensate") {
        run.current_phase = Phase::kCompensate;
      }
      runs.push_back(std::move(run));
    }
  });
  return runs;
}

std::vector<AuditEntry> PgStore::ListAudit(int limit, std::optional<long long> before_id) {
  std::vector<AuditEntry> entries;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec_params(
        "SELECT id, at, actor, action, run_id, reason, request, outcome FROM audit_log "
        "WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2",
        before_id, limit);
    for (const auto& row : rows) {
      AuditEntry entry;
      entry.id = row[0].as<long long>();
      entry.at = *ParseTimestamp(row[1].c_str());
      entry.actor = row[2].c_str();
      entry.action = row[3].c_str();
      if (!row[4].is_null()) entry.run_id = std::string(row[4].c_str());
      entry.reason = row[5].is_null() ? "" : row[5].c_str();
      entry.request = Json::parse(row[6].c_str());
      entry.outcome = row[7].c_str();
      entries.push_back(std::move(entry));
    }
  });
  return entries;
}

std::map<std::string, long long> PgStore::CountActiveRuns() {
  std::map<std::string, long long> counts;
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec(
        "SELECT status, count(*) FROM runs WHERE status IN "
        "('pending','running','compensating','cancelling','paused','stuck') GROUP BY status");
    for (const auto& row : rows) counts[row[0].c_str()] = row[1].as<long long>();
    const pqxx::result due =
        tx.exec("SELECT count(*) FROM runs WHERE due_at <= now() AND lease_owner IS NULL");
    counts["due"] = due[0][0].as<long long>();
  });
  return counts;
}

void PgStore::Ping() {
  pool_.Run([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("SELECT 1");
  });
}

}  // namespace sagaflow
