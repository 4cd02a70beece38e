// The private PostgreSQL server sagaflow starts when no DATABASE_URL is set:
// initdb into the data folder when it is empty, started on a Unix socket only
// (no TCP port), as the `postgres` user when we run as root (PostgreSQL
// refuses root). A server already running on the folder is reused and left
// running; one we started is stopped by Stop().
#pragma once

#include <filesystem>
#include <string>

namespace sagaflow {

class EmbeddedPostgres {
 public:
  explicit EmbeddedPostgres(std::filesystem::path data_dir);
  ~EmbeddedPostgres();

  // Returns the connection URL. Throws std::runtime_error with the server's
  // own words when it cannot start.
  std::string Start();
  void Stop();

  const std::filesystem::path& cluster_dir() const { return cluster_dir_; }

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path cluster_dir_;  // where PGDATA really lives
  std::filesystem::path socket_dir_;
  std::string user_;  // run server programs as this user ("" = ourselves)
  bool started_here_ = false;
};

// The folder holding initdb, pg_ctl and postgres (PostgreSQL 15 on Debian).
std::filesystem::path PostgresBinDir();

}  // namespace sagaflow
