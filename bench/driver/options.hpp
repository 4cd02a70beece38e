// The driver's command line: which scenarios, how big, where things are.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bench/driver/pg.hpp"

namespace bench {

struct Options {
  std::string sagaflow;   // the sagaflow binary
  std::string workflows;  // bench/workflows
  std::string work_dir;   // logs of the serve processes
  PgServer pg;
  std::set<int> scenarios = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

  long long runs = 5000;  // runs per throughput measurement (2, 3, 8)
  int max_seconds = 15;   // ... or until this many seconds passed
  std::vector<int> concurrency = {1, 16, 64};
  std::vector<int> ceiling_clients = {1, 8, 16, 32, 64};
  int ceiling_seconds = 5;
  int row_ceiling_seconds = 3;  // pgbench again just before each throughput row
  int workers = 64;             // SAGAFLOW_WORKERS of the serve processes
  int max_in_flight = 128;      // SAGAFLOW_MAX_IN_FLIGHT
  bool default_row = true;      // also measure 64 in flight with engine defaults
  int wrk_seconds = 20;
  int wrk_connections = 64;
  int idle_seconds = 30;
  long long waiting_runs = 10000;
  long long completed_runs = 100000;
  int memory_seconds = 120;  // cap for the completed-runs phase
  std::vector<int> processes = {1, 2, 3};
  int scale_concurrency = 64;
  long long listing_rows = 1000000;
  int listing_requests = 200;
  std::string perf_output;  // perf record the serve process in scenario 2

  // Parses argv; returns an error message or nullopt.
  std::optional<std::string> Parse(int argc, char** argv);
  void Quick();  // small sizes for a smoke run
};

std::string Usage();

}  // namespace bench
