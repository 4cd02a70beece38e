// Scenario 5: POST /v1/workflows/bench_noop/runs under wrk, then a count of
// the runs in the database: every accepted request must be there. The
// engine executes the runs it accepted meanwhile, as it would in production.
#include <cstring>
#include <fstream>

#include "bench/driver/command.hpp"
#include "bench/driver/db_counters.hpp"
#include "bench/driver/scenarios.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"

namespace bench {
namespace {

// wrk prints "50%   12.34ms"; returns milliseconds.
std::optional<double> WrkLatencyMs(const std::string& output, const std::string& label) {
  const size_t at = output.find(label);
  if (at == std::string::npos) return std::nullopt;
  const char* start = output.c_str() + at + label.size();
  char* end = nullptr;
  const double value = std::strtod(start, &end);
  if (end == start) return std::nullopt;
  const std::string unit(end, std::min<size_t>(2, std::strlen(end)));
  if (unit == "us") return value / 1000;
  if (unit == "ms") return value;
  if (unit[0] == 's') return value * 1000;
  if (unit[0] == 'm') return value * 60000;
  return value;
}

long long CountBefore(const std::string& output, const std::string& label) {
  const size_t at = output.find(label);
  if (at == std::string::npos) return 0;
  size_t start = output.find_last_of(" \n", at - 1);
  return std::stoll(output.substr(start + 1, at - start - 1));
}

// One wrk window against a fresh serve process; returns the table row.
std::vector<std::string> Window(const Context& context, const std::string& label,
                                const ServeSettings& settings, const std::string& script) {
  const Options& o = context.options;
  const std::string database = "bench_start";
  RecreateDatabase(o.pg, database);
  ServeSettings s = settings;
  s.database_url = o.pg.Url(database);
  ServeProcess serve(s);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(serve.port()) + "/v1/workflows/bench_noop/runs";
  const std::string wrk = "wrk -t2 -c" + std::to_string(o.wrk_connections) + " -s " +
                          ShellQuote(script) + " " + ShellQuote(url);
  RunCommand(wrk + " -d1s");  // warm-up
  PgConnection connection(o.pg.Url(database));
  const long long before = connection.Integer("SELECT count(*) FROM runs");
  const std::string started = connection.Scalar("SELECT now()");
  Progress("start endpoint (" + label + "): wrk " + std::to_string(o.wrk_connections) +
           " connections for " + std::to_string(o.wrk_seconds) + " s");
  const std::string output =
      RunCommand(wrk + " --latency -d" + std::to_string(o.wrk_seconds) + "s");
  const long long completed = connection.Integer(
      "SELECT count(*) FROM runs WHERE status = 'completed' AND created_at >= '" + started + "'");
  serve.Stop();  // requests in flight finish first
  const long long recorded = connection.Integer("SELECT count(*) FROM runs") - before;

  const long long requests = CountBefore(output, " requests in");
  const long long refused =
      static_cast<long long>(NumberAfter(output, "Non-2xx or 3xx responses: ").value_or(0));
  const long long accepted = requests - refused;
  std::string errors = "none";
  if (const size_t at = output.find("Socket errors: "); at != std::string::npos) {
    errors = output.substr(at + 15, output.find('\n', at) - at - 15);
  }
  return {label,
          Fixed(NumberAfter(output, "Requests/sec:").value_or(0), 0),
          Fixed(WrkLatencyMs(output, "50%").value_or(0), 2),
          Fixed(WrkLatencyMs(output, "90%").value_or(0), 2),
          Fixed(WrkLatencyMs(output, "99%").value_or(0), 2),
          Thousands(accepted),
          Thousands(refused),
          Thousands(recorded),
          recorded >= accepted ? "yes" : "**no**",
          Thousands(completed),
          errors};
}

}  // namespace

void RunStartEndpoint(Context& context) {
  const Options& o = context.options;
  const std::string script = o.work_dir + "/start.lua";
  std::ofstream(script) << "wrk.method = \"POST\"\n"
                        << "wrk.body = '{\"input\":{}}'\n"
                        << "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        << "wrk.headers[\"Authorization\"] = \"Bearer " << context.token << "\"\n";
  Table table({"serve process", "requests/s", "p50 ms", "p90 ms", "p99 ms", "accepted (202)",
               "not 2xx", "runs in the database", "all recorded", "completed meanwhile",
               "socket errors"});
  table.Add(Window(context, "executes what it accepts", context.Serve("bench_start"), script));
  // One worker holding one run: the endpoint with (almost) no execution beside it.
  ServeSettings throttled = context.Serve("bench_start");
  throttled.workers = 1;
  throttled.max_in_flight = 1;
  table.Add(Window(context, "executor throttled (1 worker, 1 in flight)", throttled, script));
  Heading("5. Start endpoint: POST /v1/workflows/bench_noop/runs under wrk, " +
          std::to_string(o.wrk_connections) + " connections, " + std::to_string(o.wrk_seconds) +
          " s");
  Print(table.Markdown());
  Note(
      "\"runs in the database\" counts after the server stopped; it can exceed the accepted "
      "count by the requests wrk had in flight when its clock ran out.");
  DropDatabase(o.pg, "bench_start");
}

}  // namespace bench
