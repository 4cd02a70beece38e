#include "bench/driver/measure.hpp"

#include "bench/driver/ceiling.hpp"
#include "bench/driver/cpu.hpp"

namespace bench {

RowResult MeasureRow(Context& context, const RowSpec& spec,
                     const std::vector<std::unique_ptr<ServeProcess>>& servers,
                     FinishListener& listener) {
  const Options& o = context.options;
  LoadSpec load;
  for (const auto& server : servers) load.ports.push_back(server->port());
  load.token = context.token;
  load.workflow = spec.workflow;
  load.input = spec.input;
  load.concurrency = spec.concurrency;
  // Warm-up: connections opened, statements prepared, caches filled.
  load.runs = std::min<long long>(o.runs, 2LL * spec.concurrency + 10);
  load.max_time = std::chrono::seconds(5);
  RunLoad(load, &listener);
  listener.Clear();

  // The ceiling right now, at this concurrency: fsync latency drifts.
  double ceiling = context.CeilingAt(spec.ceiling_clients).value_or(0);
  if (o.row_ceiling_seconds > 0) {
    ceiling = MeasureCeiling(context, spec.ceiling_clients, o.row_ceiling_seconds).commits_per_s;
  }
  PgConnection admin(o.pg.Url("postgres"));
  const DbCounters before = ReadCounters(admin, spec.database);
  auto serve_cpu = [&] {
    double seconds = 0;
    for (const auto& server : servers) seconds += ProcessCpuSeconds(server->pid());
    return seconds;
  };
  const double cpu_before = serve_cpu();
  const double postgres_before = context.PostgresCpuSeconds();
  const MachineCpu machine_before = ReadMachineCpu();
  load.runs = o.runs;
  load.max_time = std::chrono::seconds(o.max_seconds);
  RowResult row;
  row.load = RunLoad(load, &listener);
  row.sagaflow_cpu_s = serve_cpu() - cpu_before;
  row.postgres_cpu_s = context.PostgresCpuSeconds() - postgres_before;
  row.machine_busy = BusyShare(machine_before, ReadMachineCpu());
  row.delta = ReadCounters(admin, spec.database) - before;
  row.latency = Summarize(row.load.latency_ms);
  row.ceiling = ceiling;
  return row;
}

Table ThroughputTable(const std::string& first_column) {
  return Table({first_column, "runs", "s", "runs/s", "step transitions/s", "ceiling commits/s",
                "ratio", "p50 ms", "p95 ms", "p99 ms", "write commits/run", "statements/run",
                "WAL bytes/run", "sagaflow CPU ms/run", "PostgreSQL CPU ms/run", "machine busy %",
                "not ok"});
}

std::vector<std::string> ThroughputCells(const RowSpec& spec, const RowResult& row) {
  const LoadResult& load = row.load;
  const double runs = static_cast<double>(load.finished);
  const double seconds = load.seconds > 0 ? load.seconds : 1;
  const double runs_per_s = runs / seconds;
  const double steps_per_s = runs_per_s * spec.steps_per_run;
  const double ceiling = row.ceiling;
  auto per_run = [&](double total) { return runs > 0 ? total / runs : 0.0; };
  long long wrong = load.http_errors + load.timeouts;
  for (const auto& [status, n] : load.statuses) {
    if (status != spec.expected_status) wrong += n;
  }
  return {spec.label,
          Thousands(load.finished),
          Fixed(seconds, 1),
          Fixed(runs_per_s, 1),
          Fixed(steps_per_s, 0),
          ceiling > 0 ? Fixed(ceiling, 0) : "–",
          Ratio(steps_per_s, ceiling),
          Fixed(row.latency.p50, 1),
          Fixed(row.latency.p95, 1),
          Fixed(row.latency.p99, 1),
          Fixed(per_run(row.delta.next_xid), 2),
          Fixed(per_run(row.delta.statements), 1),
          Thousands(static_cast<long long>(per_run(row.delta.wal_bytes))),
          Fixed(per_run(1000 * row.sagaflow_cpu_s), 2),
          Fixed(per_run(1000 * row.postgres_cpu_s), 2),
          Fixed(100 * row.machine_busy, 0),
          Thousands(wrong)};
}

}  // namespace bench
