#include "engine/pg_pool.hpp"

#include <pqxx/pqxx>

#include "engine/errors.hpp"
#include "engine/pg_sql.hpp"

namespace sagaflow {
namespace {

bool IsConnectionState(const std::string& sqlstate) {
  // 08: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown,
  // cannot connect now (the server is starting or stopping).
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

}  // namespace

std::unique_ptr<pqxx::connection> OpenConnection(const std::string& url) {
  try {
    auto connection = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction tx(*connection);
    tx.exec("SET TIME ZONE 'UTC'");
    return connection;
  } catch (const pqxx::broken_connection& error) {
    throw StoreUnavailable(std::string("cannot connect to PostgreSQL: ") + error.what());
  } catch (const pqxx::sql_error& error) {
    throw StoreUnavailable(std::string("cannot set up a PostgreSQL session: ") + error.what());
  }
}

PgPool::PgPool(std::string url, int size) : url_(std::move(url)), size_(size) {}

PgPool::~PgPool() = default;

std::unique_ptr<pqxx::connection> PgPool::Connect() {
  auto connection = OpenConnection(url_);
  for (const auto& statement : sql::kAll) connection->prepare(statement.name, statement.text);
  return connection;
}

void PgPool::Run(const std::function<void(pqxx::connection&)>& work) {
  std::unique_ptr<pqxx::connection> connection;
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  bool keep = true;
  auto give_back = [&] {
    std::lock_guard lock(mutex_);
    if (keep && connection) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
    available_.notify_one();
  };
  try {
    if (!connection) connection = Connect();
    work(*connection);
  } catch (const pqxx::broken_connection& error) {
    keep = false;
    give_back();
    throw StoreUnavailable(std::string("lost the PostgreSQL connection: ") + error.what());
  } catch (const pqxx::in_doubt_error& error) {
    keep = false;
    give_back();
    throw StoreUnavailable(std::string("commit outcome unknown: ") + error.what());
  } catch (const pqxx::sql_error& error) {
    const std::string state = error.sqlstate();
    keep = !IsConnectionState(state) && connection && connection->is_open();
    give_back();
    if (IsConnectionState(state)) throw StoreUnavailable(error.what());
    if (state == "40001" || state == "40P01") throw RetryableStoreError(error.what());
    if (state == "23505") throw Conflict(error.what());
    throw;
  } catch (const StoreUnavailable&) {
    keep = false;
    give_back();
    throw;
  } catch (...) {
    keep = connection && connection->is_open();
    give_back();
    throw;
  }
  give_back();
}

}  // namespace sagaflow
