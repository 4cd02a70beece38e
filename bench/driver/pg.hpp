// A thin libpq wrapper for the benchmark driver: one connection, text
// results, errors as exceptions. The driver reads statistics and prepares
// databases with it; sagaflow itself is only ever reached over HTTP.
#pragma once

#include <string>
#include <vector>

struct pg_conn;

namespace bench {

using Row = std::vector<std::string>;

class PgConnection {
 public:
  explicit PgConnection(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements; returns the rows of the last one (NULL as "").
  std::vector<Row> Query(const std::string& sql);
  // The first column of the first row.
  std::string Scalar(const std::string& sql);
  long long Integer(const std::string& sql);
  pg_conn* raw() { return connection_; }

 private:
  pg_conn* connection_ = nullptr;
};

// Where the benchmark's PostgreSQL listens (a Unix socket folder) and as whom.
struct PgServer {
  std::string host;  // socket directory
  std::string user = "postgres";

  std::string Url(const std::string& database) const;
};

// Drops and creates an empty database.
void RecreateDatabase(const PgServer& server, const std::string& name);
void DropDatabase(const PgServer& server, const std::string& name);

}  // namespace bench
