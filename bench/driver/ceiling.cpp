#include "bench/driver/ceiling.hpp"

#include <fstream>
#include <thread>

#include "bench/driver/command.hpp"
#include "bench/driver/cpu.hpp"
#include "bench/driver/db_counters.hpp"
#include "bench/driver/pg.hpp"
#include "bench/driver/table.hpp"

namespace bench {
namespace {

const char* kDatabase = "bench_ceiling";

std::string ScriptPath(const Context& context) {
  return context.options.work_dir + "/ceiling.sql";
}

}  // namespace

void PrepareCeiling(Context& context) {
  if (context.ceiling_ready) return;
  RecreateDatabase(context.options.pg, kDatabase);
  PgConnection connection(context.options.pg.Url(kDatabase));
  connection.Query(
      "CREATE TABLE ceiling (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
      "at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)");
  std::ofstream(ScriptPath(context)) << "INSERT INTO ceiling (payload) VALUES ('x');\n";
  context.ceiling_ready = true;
}

CeilingSample MeasureCeiling(Context& context, int clients, int seconds) {
  PrepareCeiling(context);
  const Options& o = context.options;
  Progress("ceiling: pgbench with " + std::to_string(clients) + " client(s), " +
           std::to_string(seconds) + " s");
  const double cpu_before = context.PostgresCpuSeconds();
  const MachineCpu machine_before = ReadMachineCpu();
  const std::string output = RunCommand(
      "pgbench -n -M prepared -h " + ShellQuote(o.pg.host) + " -U " + ShellQuote(o.pg.user) +
      " -f " + ShellQuote(ScriptPath(context)) + " -c " + std::to_string(clients) + " -j " +
      std::to_string(std::min(clients, 2)) + " -T " + std::to_string(seconds) + " " + kDatabase);
  // pgbench's backends exit as it ends; their CPU reaches the postmaster's
  // count of reaped children once they are gone.
  {
    PgConnection admin(o.pg.Url("postgres"));
    WaitForBackendsGone(admin, kDatabase);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CeilingSample sample;
  sample.clients = clients;
  sample.machine_busy = BusyShare(machine_before, ReadMachineCpu());
  const double cpu = context.PostgresCpuSeconds() - cpu_before;
  sample.commits_per_s = NumberAfter(output, "tps = ").value_or(0);
  sample.latency_ms = NumberAfter(output, "latency average = ").value_or(0);
  const double commits =
      NumberAfter(output, "number of transactions actually processed: ").value_or(0);
  sample.postgres_cpu_ms = commits > 0 ? 1000 * cpu / commits : 0;
  return sample;
}

}  // namespace bench
