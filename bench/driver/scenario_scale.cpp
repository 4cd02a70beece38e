// Scenario 8: scenario 2's workload at one concurrency against 1, 2 and 3
// serve processes sharing one database; clients are spread over them.
#include "bench/driver/measure.hpp"
#include "bench/driver/scenarios.hpp"

namespace bench {

void RunScaleOut(Context& context) {
  const Options& o = context.options;
  const std::string database = "bench_scale";
  RecreateDatabase(o.pg, database);
  { context.StartServers(database, 1)[0]->Stop(); }
  FinishListener listener(o.pg.Url(database));
  Table table = ThroughputTable("processes");
  for (int processes : o.processes) {
    Progress("scale-out: " + std::to_string(processes) + " process(es)");
    RowSpec spec;
    spec.label = std::to_string(processes);
    spec.database = database;
    spec.workflow = "bench_noop";
    spec.expected_status = "completed";
    spec.steps_per_run = 5;
    spec.concurrency = o.scale_concurrency;
    spec.ceiling_clients = o.scale_concurrency;
    auto servers = context.StartServers(database, processes);
    const RowResult row = MeasureRow(context, spec, servers, listener);
    for (auto& server : servers) server->Stop();
    table.Add(ThroughputCells(spec, row));
  }
  Heading("8. Scale-out: " + std::to_string(o.scale_concurrency) +
          " runs in flight over 1, 2, 3 serve processes on one database");
  Print(table.Markdown());
}

}  // namespace bench
