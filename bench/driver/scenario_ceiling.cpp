// Scenario 1: the durable-write ceiling of this PostgreSQL at each client
// count; its commits/s are what every sagaflow rate is divided by.
#include <set>

#include "bench/driver/ceiling.hpp"
#include "bench/driver/scenarios.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"

namespace bench {

void RunCeiling(Context& context) {
  const Options& o = context.options;
  // The client counts asked for, plus every concurrency another scenario
  // divides by, so each ratio compares equal concurrency.
  std::set<int> clients(o.ceiling_clients.begin(), o.ceiling_clients.end());
  if (o.scenarios.count(2) || o.scenarios.count(3)) {
    clients.insert(o.concurrency.begin(), o.concurrency.end());
  }
  if (o.scenarios.count(8)) clients.insert(o.scale_concurrency);

  Table table(
      {"clients", "commits/s", "mean latency ms", "PostgreSQL CPU ms/commit", "machine busy %"});
  for (int c : clients) {
    const CeilingSample sample = MeasureCeiling(context, c, o.ceiling_seconds);
    context.ceiling_tps[c] = sample.commits_per_s;
    context.ceiling_latency_ms[c] = sample.latency_ms;
    table.Add({std::to_string(c), Fixed(sample.commits_per_s, 0), Fixed(sample.latency_ms, 2),
               Fixed(sample.postgres_cpu_ms, 3), Fixed(100 * sample.machine_busy, 0)});
  }
  Heading("1. Ceiling: single-row INSERT transactions (pgbench, " +
          std::to_string(o.ceiling_seconds) + " s each)");
  Print(table.Markdown());
  if (o.row_ceiling_seconds > 0) {
    Note("Each throughput row below also measures the ceiling at its own concurrency for " +
         std::to_string(o.row_ceiling_seconds) +
         " s just before it (the disk's fsync latency drifts with other tenants' I/O) and "
         "divides by that.");
  }
}

}  // namespace bench
