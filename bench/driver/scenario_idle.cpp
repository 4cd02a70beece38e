// Scenario 6: what an idle engine sends to PostgreSQL. Statements are read
// from pg_stat_statements for the engine's database (counted at once, unlike
// pg_stat_database), with no work, then with runs parked on a 1 h timer.
#include <thread>

#include "bench/driver/db_counters.hpp"
#include "bench/driver/scenarios.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"
#include "bench/driver/waiting.hpp"

namespace bench {
namespace {

std::vector<std::string> IdleWindow(const Context& context, const std::string& database,
                                    const std::string& label) {
  const int seconds = context.options.idle_seconds;
  PgConnection admin(context.options.pg.Url("postgres"));
  Progress("idle: " + label + ", " + std::to_string(seconds) + " s");
  const DbCounters before = ReadCounters(admin, database);
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const DbCounters delta = ReadCounters(admin, database) - before;
  std::string seen;
  for (const auto& [statement, calls] : delta.by_statement) {
    seen += (seen.empty() ? "" : "; ") + std::to_string(calls) + "× `" + statement + "`";
  }
  return {label, std::to_string(seconds), Thousands(delta.statements),
          Fixed(double(delta.statements) / seconds, 2), seen.empty() ? "none" : seen};
}

}  // namespace

void RunIdle(Context& context) {
  const Options& o = context.options;
  const std::string database = "bench_idle";
  RecreateDatabase(o.pg, database);
  auto servers = context.StartServers(database, 1);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // start-up settles
  Table table({"state", "s", "statements", "statements/s", "statements seen"});
  table.Add(IdleWindow(context, database, "no runs"));
  const long long parked = 100;
  if (StartWaitingRuns(context, database, servers[0]->port(), parked) < 0) {
    Note("(the runs did not all reach their timer in 120 s)");
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  table.Add(IdleWindow(context, database, std::to_string(parked) + " runs on a 1 h retry timer"));
  servers[0]->Stop();
  Heading("6. Idle cost: statements the engine sends with no work due");
  Print(table.Markdown());
  Note(
      "With a lease of 30 s the scheduler wakes every 10 s while it knows a due time; "
      "a wake-up before the due time sends nothing.");
  DropDatabase(o.pg, database);
}

}  // namespace bench
