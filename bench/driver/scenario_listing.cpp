// Scenario 9: listing latency with a large runs table. Rows are inserted in
// bulk with SQL (secondary indexes dropped and rebuilt around the insert),
// all finished or needing a person, so the engine has nothing to claim.
#include <chrono>

#include "bench/driver/http_client.hpp"
#include "bench/driver/scenarios.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"

namespace bench {
namespace {

// 10 workflows; 0.1% stuck, 0.1% paused, 10% compensated, the rest completed;
// one run a second going back in time.
void InsertRuns(PgConnection& connection, long long rows) {
  const auto indexes = connection.Query(
      "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
      "WHERE i.indrelid = 'runs'::regclass AND NOT EXISTS "
      "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)");
  for (const auto& index : indexes) connection.Query("DROP INDEX " + index[0]);
  connection.Query(
      "INSERT INTO runs (id, workflow, version, status, input, trigger, attention_reason, error, "
      "created_at, updated_at, finished_at, due_at) "
      "SELECT gen_random_uuid(), CASE WHEN g % 10 = 0 THEN 'bench_noop' ELSE 'other_' || g % 10 "
      "END, 1, s.status, '{\"n\": 1}', '{\"kind\": \"http\"}', "
      "CASE WHEN s.status IN ('stuck', 'paused') THEN 'compensation of s2 failed' END, "
      "CASE WHEN s.status <> 'completed' THEN '{\"code\": \"core_fail\"}'::jsonb END, "
      "now() - g * interval '1 second', now() - g * interval '1 second', "
      "CASE WHEN s.status IN ('completed', 'compensated') THEN now() - g * interval '1 second' "
      "END, NULL "
      "FROM generate_series(1, " +
      std::to_string(rows) +
      ") g, LATERAL (SELECT CASE "
      "WHEN g % 1000 = 7 THEN 'stuck' WHEN g % 1000 = 8 THEN 'paused' "
      "WHEN g % 10 = 3 THEN 'compensated' ELSE 'completed' END AS status) s");
  for (const auto& index : indexes) connection.Query(index[1]);
  connection.Query("VACUUM ANALYZE runs");
}

std::vector<std::string> Measure(HttpClient& http, const std::string& label,
                                 const std::string& target, int requests, int& returned) {
  for (int i = 0; i < 5; ++i) http.Get(target);
  std::vector<double> samples;
  int failures = 0;
  std::string body;
  for (int i = 0; i < requests; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const HttpResult result = http.Get(target);
    samples.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (result.status != 200) ++failures;
    body = result.body;
  }
  returned = 0;
  for (size_t at = body.find("\"id\":"); at != std::string::npos;
       at = body.find("\"id\":", at + 1)) {
    ++returned;
  }
  const Percentiles p = Summarize(samples);
  return {label,           std::to_string(returned), Fixed(p.p50, 2),         Fixed(p.p95, 2),
          Fixed(p.p99, 2), Fixed(p.max, 2),          std::to_string(failures)};
}

}  // namespace

void RunListing(Context& context) {
  const Options& o = context.options;
  const std::string database = "bench_listing";
  RecreateDatabase(o.pg, database);
  { context.StartServers(database, 1)[0]->Stop(); }  // migrations
  Progress("listing: inserting " + std::to_string(o.listing_rows) + " runs");
  const auto start = std::chrono::steady_clock::now();
  {
    PgConnection connection(o.pg.Url(database));
    InsertRuns(connection, o.listing_rows);
  }
  const double insert_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto servers = context.StartServers(database, 1);
  HttpClient http(servers[0]->port(), context.token);
  // The second page of a workflow's runs, through the cursor of the first.
  const HttpResult first = http.Get("/v1/runs?workflow=bench_noop&limit=50");
  const std::string cursor = JsonStringField(first.body, "next");

  Table table({"request", "rows", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"});
  int returned = 0;
  const int n = o.listing_requests;
  Progress("listing: " + std::to_string(n) + " requests per query");
  table.Add(
      Measure(http, "`GET /admin/runs?status=stuck`", "/admin/runs?status=stuck", n, returned));
  table.Add(Measure(http, "`GET /admin/runs` (stuck and paused)", "/admin/runs", n, returned));
  table.Add(Measure(http, "`GET /v1/runs?workflow=bench_noop&limit=50`",
                    "/v1/runs?workflow=bench_noop&limit=50", n, returned));
  if (!cursor.empty()) {
    table.Add(Measure(http, "the same, second page (`after=` cursor)",
                      "/v1/runs?workflow=bench_noop&limit=50&after=" + cursor, n, returned));
  }
  table.Add(Measure(http, "`GET /v1/runs?limit=50`", "/v1/runs?limit=50", n, returned));
  servers[0]->Stop();
  Heading("9. Listing at size: " + Thousands(o.listing_rows) + " runs stored");
  Print(table.Markdown());
  Note("Bulk insert with index rebuild and VACUUM ANALYZE took " + Fixed(insert_seconds, 1) +
       " s. Latency is measured by one client over a kept-alive connection, sequentially.");
  DropDatabase(o.pg, database);
}

}  // namespace bench
