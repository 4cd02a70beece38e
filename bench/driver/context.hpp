// What every scenario shares: the options, the ceiling measured by scenario
// 1 (every other rate is divided by it), and how to start sagaflow.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/driver/options.hpp"
#include "bench/driver/serve_process.hpp"

namespace bench {

struct Context {
  Options options;
  std::string token = "bench-admin-token";
  std::map<int, double> ceiling_tps;         // pgbench clients -> commits/s
  std::map<int, double> ceiling_latency_ms;  // pgbench clients -> mean latency
  pid_t postmaster = 0;                      // the benchmark's PostgreSQL server
  bool ceiling_ready = false;                // the pgbench table exists

  // CPU seconds PostgreSQL has used so far (the postmaster's process tree).
  double PostgresCpuSeconds() const;

  // The ceiling at `clients`, interpolated between measured points.
  std::optional<double> CeilingAt(int clients) const;
  // Settings for a serve process on `database`; `engine_defaults` leaves
  // workers and max-in-flight to the engine.
  ServeSettings Serve(const std::string& database, bool engine_defaults = false) const;
  // Starts `count` serve processes on one database.
  std::vector<std::unique_ptr<ServeProcess>> StartServers(const std::string& database, int count,
                                                          bool engine_defaults = false) const;
};

// The machine, PostgreSQL and the load average, as a Markdown table.
void PrintMachine(const Context& context);

}  // namespace bench
