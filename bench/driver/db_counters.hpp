// Counters read from PostgreSQL around a measurement: commits
// (pg_stat_database.xact_commit), transactions that wrote (xids handed out),
// WAL bytes (pg_current_wal_lsn) and statements by text (pg_stat_statements).
#pragma once

#include <map>
#include <string>

#include "bench/driver/pg.hpp"

namespace bench {

struct DbCounters {
  long long xact_commit = 0;  // every committed transaction, read-only ones too
  long long next_xid = 0;     // transactions that wrote something (cluster-wide)
  long long wal_bytes = 0;    // WAL position (cluster-wide)
  long long statements = 0;   // statements sent by clients of the database
  std::map<std::string, long long> by_statement;       // calls by shortened text
  std::map<std::string, double> exec_ms_by_statement;  // execution time by shortened text

  DbCounters operator-(const DbCounters& before) const;
  DbCounters operator+(const DbCounters& other) const;
};

// Reads the counters of `database` through a connection to another database
// (so the reading itself is not counted). xact_commit lags: PostgreSQL
// flushes a backend's counts at most once a second and when it exits.
DbCounters ReadCounters(PgConnection& admin, const std::string& database);

// Waits until no backend but `keep` is connected to the database, so the
// counts of the others are flushed.
void WaitForBackendsGone(PgConnection& admin, const std::string& database, int keep = 0);

// A one-line label for a statement: whitespace collapsed, cut to `width`.
std::string StatementLabel(const std::string& query, size_t width = 60);

}  // namespace bench
