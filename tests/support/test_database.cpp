#include "tests/support/test_database.hpp"

#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

#include "engine/ids.hpp"
#include "engine/migrations.hpp"

namespace sagaflow::testing {
namespace {

std::string WithDatabase(const std::string& url, const std::string& database) {
  // postgresql:///postgres?host=... -> postgresql:///<database>?host=...
  const std::string prefix = "postgresql:///";
  if (url.rfind(prefix, 0) != 0) throw std::runtime_error("unexpected test URL " + url);
  const size_t query = url.find('?');
  return prefix + database + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

std::string TestServerUrl() {
  const char* url = std::getenv("SAGAFLOW_TEST_DATABASE_URL");
  if (!url || !*url) {
    throw std::runtime_error(
        "SAGAFLOW_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh, which starts "
        "a PostgreSQL server for them");
  }
  return url;
}

std::string TestServerDir() {
  const char* dir = std::getenv("SAGAFLOW_TEST_PG_DIR");
  if (!dir || !*dir) throw std::runtime_error("SAGAFLOW_TEST_PG_DIR is not set");
  return dir;
}

TestDatabase::TestDatabase() : admin_url_(TestServerUrl()) {
  std::string id = NewUuid().substr(0, 8);
  name_ = "sagaflow_test_" + id;
  {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + name_);
  }
  url_ = WithDatabase(admin_url_, name_);
  ApplyMigrations(url_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database on a throwaway server is harmless.
  }
}

std::string TestDatabase::Query(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  const pqxx::result rows = tx.exec(sql);
  if (rows.empty() || rows[0][0].is_null()) return "";
  return rows[0][0].c_str();
}

}  // namespace sagaflow::testing
