// A fresh, migrated database on the test PostgreSQL server for one test,
// dropped afterwards. The server is started by scripts/test.sh, which sets
// SAGAFLOW_TEST_DATABASE_URL; without it these tests fail (never skip).
#pragma once

#include <string>

namespace sagaflow::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs SQL on this database and returns the first column of the first row
  // as text ("" when there is none). For assertions on raw tables.
  std::string Query(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// The URL of the test server's maintenance database.
std::string TestServerUrl();
// The folder of the test server (for pg_ctl restarts), from SAGAFLOW_TEST_PG_DIR.
std::string TestServerDir();

}  // namespace sagaflow::testing
