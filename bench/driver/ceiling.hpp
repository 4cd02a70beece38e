// The durable-write ceiling: pgbench running a one-line script, a single-row
// INSERT in its own transaction, with N clients on the benchmark's server.
#pragma once

#include "bench/driver/context.hpp"

namespace bench {

struct CeilingSample {
  int clients = 0;
  double commits_per_s = 0;
  double latency_ms = 0;       // pgbench's mean
  double postgres_cpu_ms = 0;  // PostgreSQL CPU per commit
  double machine_busy = 0;     // share of all cores busy meanwhile
};

// Creates the ceiling database and table once per driver run.
void PrepareCeiling(Context& context);
CeilingSample MeasureCeiling(Context& context, int clients, int seconds);

}  // namespace bench
