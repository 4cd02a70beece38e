#include "bench/driver/db_counters.hpp"

#include <chrono>
#include <thread>

namespace bench {

DbCounters DbCounters::operator-(const DbCounters& before) const {
  DbCounters delta;
  delta.xact_commit = xact_commit - before.xact_commit;
  delta.next_xid = next_xid - before.next_xid;
  delta.wal_bytes = wal_bytes - before.wal_bytes;
  delta.statements = statements - before.statements;
  for (const auto& [label, calls] : by_statement) {
    auto it = before.by_statement.find(label);
    const long long diff = calls - (it == before.by_statement.end() ? 0 : it->second);
    if (diff != 0) delta.by_statement[label] = diff;
  }
  for (const auto& [label, ms] : exec_ms_by_statement) {
    auto it = before.exec_ms_by_statement.find(label);
    const double diff = ms - (it == before.exec_ms_by_statement.end() ? 0 : it->second);
    if (diff > 0) delta.exec_ms_by_statement[label] = diff;
  }
  return delta;
}

DbCounters DbCounters::operator+(const DbCounters& other) const {
  DbCounters sum = *this;
  sum.xact_commit += other.xact_commit;
  sum.next_xid += other.next_xid;
  sum.wal_bytes += other.wal_bytes;
  sum.statements += other.statements;
  for (const auto& [label, calls] : other.by_statement) sum.by_statement[label] += calls;
  for (const auto& [label, ms] : other.exec_ms_by_statement) sum.exec_ms_by_statement[label] += ms;
  return sum;
}

std::string StatementLabel(const std::string& query, size_t width) {
  std::string label;
  for (char c : query) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!label.empty() && label.back() != ' ') label += ' ';
    } else {
      label += c;
    }
  }
  while (!label.empty() && label.back() == ' ') label.pop_back();
  if (label.size() > width) label = label.substr(0, width - 1) + "…";
  return label;
}

DbCounters ReadCounters(PgConnection& admin, const std::string& database) {
  DbCounters counters;
  admin.Query("SELECT pg_stat_clear_snapshot()");
  counters.xact_commit =
      admin.Integer("SELECT xact_commit FROM pg_stat_database WHERE datname = '" + database + "'");
  counters.next_xid = admin.Integer("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint");
  counters.wal_bytes = admin.Integer("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
  const auto rows = admin.Query(
      "SELECT query, calls, total_exec_time FROM pg_stat_statements s JOIN pg_database d ON d.oid "
      "= s.dbid "
      "WHERE d.datname = '" +
      database + "'");
  for (const auto& row : rows) {
    const long long calls = std::stoll(row[1]);
    counters.by_statement[StatementLabel(row[0])] += calls;
    counters.exec_ms_by_statement[StatementLabel(row[0])] += std::stod(row[2]);
    counters.statements += calls;
  }
  return counters;
}

void WaitForBackendsGone(PgConnection& admin, const std::string& database, int keep) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    const long long n =
        admin.Integer("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'");
    if (n <= keep) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace bench
