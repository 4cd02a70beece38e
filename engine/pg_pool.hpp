// A small pool of PostgreSQL connections with every statement of
// engine/pg_sql.hpp prepared on each. Connections that break are dropped and
// made again on next use; libpqxx errors are translated into the engine's
// typed faults in one place (Run).
//
// Thread-safe: any thread may call Run; each call holds one connection.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/connection>

namespace sagaflow {

class PgPool {
 public:
  PgPool(std::string url, int size);
  ~PgPool();

  // Runs `work` with a connection. Translates failures: a broken connection
  // or a server shutting down -> StoreUnavailable; SQLSTATE 40001/40P01 ->
  // RetryableStoreError; 23505 -> Conflict. The connection is discarded when
  // it broke.
  void Run(const std::function<void(pqxx::connection&)>& work);

  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<pqxx::connection> Connect();

  std::string url_;
  int size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // connections handed out or idle
};

// Opens a connection configured for sagaflow (UTC session time zone).
std::unique_ptr<pqxx::connection> OpenConnection(const std::string& url);

}  // namespace sagaflow
