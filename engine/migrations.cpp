#include "engine/migrations.hpp"

#include <pqxx/pqxx>

#include "engine/errors.hpp"
#include "engine/pg_pool.hpp"

namespace sagaflow {
namespace {

// Any fixed number; all sagaflow processes agree on it.
constexpr long long kMigrationLockId = 0x5a6af10e;

constexpr const char* kCreateTable = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))";

int AppliedVersion(pqxx::transaction_base& tx) {
  const pqxx::result exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  const pqxx::result rows = tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return rows[0][0].as<int>();
}

}  // namespace

int Migration::version() const {
  return std::stoi(name.substr(0, name.find('_')));
}

int LatestMigrationVersion() {
  const auto& all = EmbeddedMigrations();
  return all.empty() ? 0 : all.back().version();
}

MigrationReport ApplyMigrations(const std::string& database_url) {
  auto connection = OpenConnection(database_url);
  MigrationReport report;
  try {
    pqxx::work tx(*connection);
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockId) + ")");
    tx.exec(kCreateTable);
    report.from_version = AppliedVersion(tx);
    report.to_version = report.from_version;
    if (report.from_version > LatestMigrationVersion()) {
      throw Conflict("the database schema is at version " + std::to_string(report.from_version) +
                     ", newer than this sagaflow binary knows (" +
                     std::to_string(LatestMigrationVersion()) + "); upgrade sagaflow");
    }
    for (const auto& migration : EmbeddedMigrations()) {
      if (migration.version() <= report.from_version) continue;
      tx.exec(migration.sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                     migration.version(), migration.name);
      report.applied.push_back(migration.name);
      report.to_version = migration.version();
    }
    tx.commit();
  } catch (const pqxx::broken_connection& error) {
    throw StoreUnavailable(std::string("lost the PostgreSQL connection: ") + error.what());
  }
  return report;
}

int AppliedMigrationVersion(const std::string& database_url) {
  auto connection = OpenConnection(database_url);
  pqxx::nontransaction tx(*connection);
  return AppliedVersion(tx);
}

}  // namespace sagaflow
