// Scenario 7: resident memory of one serve process idle, with runs parked on
// a retry timer, and after many completed runs (bench_one, one core.noop
// step, so 100,000 runs fit in the time budget).
#include <thread>

#include "bench/driver/load.hpp"
#include "bench/driver/scenarios.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"
#include "bench/driver/waiting.hpp"

namespace bench {
namespace {

std::string Mib(long kib) {
  return Fixed(kib / 1024.0, 1);
}

}  // namespace

void RunMemory(Context& context) {
  const Options& o = context.options;
  const std::string database = "bench_memory";
  RecreateDatabase(o.pg, database);
  auto servers = context.StartServers(database, 1);
  ServeProcess& serve = *servers[0];
  Table table({"state", "runs", "RSS MiB", "peak RSS MiB", "took s"});
  std::this_thread::sleep_for(std::chrono::seconds(2));
  table.Add(
      {"idle after start-up", "0", Mib(serve.ResidentKib()), Mib(serve.PeakResidentKib()), "–"});

  Progress("memory: " + std::to_string(o.waiting_runs) + " runs onto a retry timer");
  const double parked = StartWaitingRuns(context, database, serve.port(), o.waiting_runs);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  table.Add({"runs waiting on a 1 h retry timer", Thousands(o.waiting_runs),
             Mib(serve.ResidentKib()), Mib(serve.PeakResidentKib()),
             parked < 0 ? "timeout" : Fixed(parked, 1)});

  Progress("memory: up to " + std::to_string(o.completed_runs) + " completed runs");
  LoadResult done;
  {
    FinishListener listener(o.pg.Url(database));
    LoadSpec load;
    load.ports = {serve.port()};
    load.token = context.token;
    load.workflow = "bench_one";
    load.runs = o.completed_runs;
    load.concurrency = 64;
    load.max_time = std::chrono::seconds(o.memory_seconds);
    done = RunLoad(load, &listener);
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  table.Add({"after completed runs (plus the waiting ones)", Thousands(done.finished),
             Mib(serve.ResidentKib()), Mib(serve.PeakResidentKib()), Fixed(done.seconds, 1)});
  serve.Stop();
  Heading("7. Memory: resident set of one serve process");
  Print(table.Markdown());
  if (done.finished < o.completed_runs) {
    Note("The completed-runs phase stopped at its " + std::to_string(o.memory_seconds) +
         " s cap after " + Thousands(done.finished) + " runs.");
  }
  DropDatabase(o.pg, database);
}

}  // namespace bench
