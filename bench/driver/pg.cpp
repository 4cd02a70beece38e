#include "bench/driver/pg.hpp"

#include <libpq-fe.h>

#include <stdexcept>

namespace bench {

PgConnection::PgConnection(const std::string& url) : connection_(PQconnectdb(url.c_str())) {
  if (PQstatus(connection_) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(connection_);
    PQfinish(connection_);
    throw std::runtime_error("cannot connect to " + url + ": " + message);
  }
  // "database does not exist, skipping" and the like are not news.
  PQsetNoticeProcessor(
      connection_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  PQfinish(connection_);
}

std::vector<Row> PgConnection::Query(const std::string& sql) {
  PGresult* result = PQexec(connection_, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    throw std::runtime_error("query failed: " + message + "  in: " + sql.substr(0, 200));
  }
  std::vector<Row> rows;
  for (int r = 0; r < PQntuples(result); ++r) {
    Row row;
    for (int c = 0; c < PQnfields(result); ++c) row.emplace_back(PQgetvalue(result, r, c));
    rows.push_back(std::move(row));
  }
  PQclear(result);
  return rows;
}

std::string PgConnection::Scalar(const std::string& sql) {
  const auto rows = Query(sql);
  if (rows.empty() || rows[0].empty()) return "";
  return rows[0][0];
}

long long PgConnection::Integer(const std::string& sql) {
  const std::string text = Scalar(sql);
  return text.empty() ? 0 : std::stoll(text);
}

std::string PgServer::Url(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + host + "&user=" + user;
}

void RecreateDatabase(const PgServer& server, const std::string& name) {
  PgConnection admin(server.Url("postgres"));
  admin.Query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  admin.Query("CREATE DATABASE " + name);
}

void DropDatabase(const PgServer& server, const std::string& name) {
  PgConnection admin(server.Url("postgres"));
  admin.Query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

}  // namespace bench
