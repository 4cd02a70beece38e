// One row of a throughput table (scenarios 2, 3 and 8): warm up, then run
// closed-loop load against serve processes while reading the counters that
// move at once (statements, transactions that wrote, WAL).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/driver/context.hpp"
#include "bench/driver/db_counters.hpp"
#include "bench/driver/finish_listener.hpp"
#include "bench/driver/load.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"

namespace bench {

struct RowSpec {
  std::string label;
  std::string database;
  std::string workflow;
  std::string expected_status;  // what a run of this workflow ends as
  double steps_per_run = 0;     // step transitions one run makes
  int concurrency = 1;
  int ceiling_clients = 1;   // which ceiling the rates are divided by
  std::string input = "{}";  // every run's input (JSON)
};

struct RowResult {
  LoadResult load;
  Percentiles latency;
  DbCounters delta;
  double sagaflow_cpu_s = 0;  // CPU seconds of the serve processes
  double postgres_cpu_s = 0;  // CPU seconds of PostgreSQL's processes
  double machine_busy = 0;    // share of all cores busy (anyone's work)
  double ceiling = 0;         // commits/s the ratio divides by
};

RowResult MeasureRow(Context& context, const RowSpec& spec,
                     const std::vector<std::unique_ptr<ServeProcess>>& servers,
                     FinishListener& listener);

// The columns of a throughput table and one row of it.
Table ThroughputTable(const std::string& first_column);
std::vector<std::string> ThroughputCells(const RowSpec& spec, const RowResult& row);

}  // namespace bench
