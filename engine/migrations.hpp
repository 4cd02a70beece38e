// Forward-only schema migrations: migrations/NNNN_name.sql, compiled into
// the binary, applied in order inside one transaction under an advisory lock
// (so processes starting together are safe) and recorded in
// schema_migrations. A database newer than the binary is refused.
#pragma once

#include <string>
#include <vector>

namespace sagaflow {

struct Migration {
  std::string name;  // "0001_initial"
  std::string sql;
  int version() const;  // the leading number
};

// Generated at build time from migrations/*.sql, sorted by name.
const std::vector<Migration>& EmbeddedMigrations();
int LatestMigrationVersion();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;
};

// Applies pending migrations. Throws Conflict when the database's schema is
// newer than this binary, StoreUnavailable when it cannot connect.
MigrationReport ApplyMigrations(const std::string& database_url);

// The highest applied version (0 for an empty database).
int AppliedMigrationVersion(const std::string& database_url);

}  // namespace sagaflow
