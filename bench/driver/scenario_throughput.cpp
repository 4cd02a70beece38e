// Scenarios 2, 3 and 4: runs of a 5-step core.noop workflow (and its saga
// variant) started over HTTP at fixed concurrency; around scenario 2 the
// database's own counters give commits and WAL bytes per run and per step
// transition.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "bench/driver/measure.hpp"
#include "bench/driver/scenarios.hpp"

namespace bench {
namespace {

// Step transitions a run makes, counted from its history.
const char* kStepEvents =
    "('step_completed','step_failed','step_skipped','attempt_failed','compensation_completed',"
    "'compensation_failed')";

// perf record on a process until destroyed.
class PerfRecording {
 public:
  PerfRecording(const std::string& output, pid_t target) {
    if (output.empty()) return;
    pid_ = fork();
    if (pid_ == 0) {
      const std::string pid = std::to_string(target);
      execlp("perf", "perf", "record", "-g", "-q", "-o", output.c_str(), "-p", pid.c_str(),
             static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PerfRecording() {
    if (pid_ <= 0) return;
    kill(pid_, SIGINT);
    waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_ = -1;
};

// `whole`: the database's counters around all of scenario 2 (xact_commit is
// per database, so pgbench's rows do not count); `measured`: the sum of the
// rows' measured windows (WAL and xids are cluster-wide, so only those).
void PrintCommits(const Context& context, const std::string& database, const DbCounters& whole,
                  const DbCounters& measured, long long measured_runs) {
  PgConnection connection(context.options.pg.Url(database));
  const long long runs = connection.Integer("SELECT count(*) FROM runs");
  const long long steps = connection.Integer(
      std::string("SELECT count(*) FROM run_events WHERE type IN ") + kStepEvents);
  const double steps_per_run = runs > 0 ? double(steps) / double(runs) : 0;
  const double measured_steps = steps_per_run * double(measured_runs);
  auto per = [](double total, double n) { return n > 0 ? total / n : 0.0; };
  Table table({"measure", "total", "per run", "per step transition"});
  table.Add({"runs (all of scenario 2, warm-ups included)", Thousands(runs), "1", "–"});
  table.Add(
      {"step transitions (from run history)", Thousands(steps), Fixed(steps_per_run, 2), "1"});
  table.Add({"commits (pg_stat_database.xact_commit, all runs)", Thousands(whole.xact_commit),
             Fixed(per(whole.xact_commit, runs), 2), Fixed(per(whole.xact_commit, steps), 2)});
  table.Add({"runs in the measured windows", Thousands(measured_runs), "1", "–"});
  table.Add({"transactions that wrote (xids), measured windows", Thousands(measured.next_xid),
             Fixed(per(measured.next_xid, measured_runs), 2),
             Fixed(per(measured.next_xid, measured_steps), 2)});
  table.Add({"WAL bytes (pg_current_wal_lsn), measured windows", Thousands(measured.wal_bytes),
             Thousands(static_cast<long long>(per(measured.wal_bytes, measured_runs))),
             Thousands(static_cast<long long>(per(measured.wal_bytes, measured_steps)))});
  table.Add({"statements sent (pg_stat_statements), measured windows",
             Thousands(measured.statements), Fixed(per(measured.statements, measured_runs), 2),
             Fixed(per(measured.statements, measured_steps), 2)});
  const DbCounters& delta = measured;
  Heading("4. Commits per transition (around all of scenario 2)");
  Print(table.Markdown());

  Table statements({"statement", "calls per run", "execution ms per call"});
  std::vector<std::pair<long long, std::string>> sorted;
  for (const auto& [label, calls] : delta.by_statement) sorted.emplace_back(calls, label);
  std::sort(sorted.rbegin(), sorted.rend());
  for (const auto& [calls, label] : sorted) {
    if (per(calls, measured_runs) < 0.01) continue;
    auto ms = delta.exec_ms_by_statement.find(label);
    const double exec_ms = ms == delta.exec_ms_by_statement.end() ? 0 : ms->second;
    statements.Add({"`" + label + "`", Fixed(per(calls, measured_runs), 2),
                    Fixed(calls > 0 ? exec_ms / calls : 0, 3)});
  }
  Note("Statements the engine sent per run, by text:");
  Print(statements.Markdown());
}

// Scenario 2 (`primary`) also measures the engine's defaults, can be profiled
// and may print scenario 4; scenario 3 repeats it on the saga path.
void RunRows(Context& context, const std::string& title, const std::string& database,
             const std::string& workflow, const std::string& expected, double steps_per_run,
             bool primary, const std::string& input = "{}") {
  const bool commits_table = primary && context.options.scenarios.count(4) > 0;
  const Options& o = context.options;
  RecreateDatabase(o.pg, database);
  PgConnection admin(o.pg.Url("postgres"));
  {
    // Migrations and definitions first, outside what is counted.
    auto servers = context.StartServers(database, 1);
    servers[0]->Stop();
  }
  FinishListener listener(o.pg.Url(database));
  WaitForBackendsGone(admin, database, 1);
  const DbCounters before = ReadCounters(admin, database);
  DbCounters measured;
  long long measured_runs = 0;

  Table table = ThroughputTable("in flight");
  std::vector<std::pair<int, bool>> rows;  // concurrency, engine defaults
  for (int c : o.concurrency) rows.emplace_back(c, false);
  // The engine's own defaults at the highest concurrency, once (scenario 2).
  if (primary && o.default_row && !o.concurrency.empty()) {
    rows.emplace_back(o.concurrency.back(), true);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto [c, defaults] = rows[i];
    RowSpec spec;
    spec.label = std::to_string(c) + (defaults ? " (engine defaults)" : "");
    spec.database = database;
    spec.workflow = workflow;
    spec.expected_status = expected;
    spec.steps_per_run = steps_per_run;
    spec.input = input;
    spec.concurrency = c;
    spec.ceiling_clients = c;
    Progress(title + ": " + spec.label + " in flight");
    auto servers = context.StartServers(database, 1, defaults);
    const bool profile = primary && i + 1 == o.concurrency.size();
    RowResult row;
    {
      PerfRecording perf(profile ? o.perf_output : "", servers[0]->pid());
      row = MeasureRow(context, spec, servers, listener);
    }
    servers[0]->Stop();
    table.Add(ThroughputCells(spec, row));
    measured = measured + row.delta;
    measured_runs += row.load.finished;
  }
  Heading(title);
  Print(table.Markdown());
  if (commits_table) {
    WaitForBackendsGone(admin, database, 1);
    PrintCommits(context, database, ReadCounters(admin, database) - before, measured,
                 measured_runs);
  }
}

}  // namespace

void RunThroughput(Context& context) {
  RunRows(context, "2. Throughput: 5-step core.noop runs started over HTTP", "bench_throughput",
          "bench_noop", "completed", 5, true);
  Note("Settings: SAGAFLOW_WORKERS=" + std::to_string(context.options.workers) +
       ", SAGAFLOW_MAX_IN_FLIGHT=" + std::to_string(context.options.max_in_flight) +
       " (engine defaults: 8 and 64). A step transition completes or fails one step; "
       "the ratio divides step transitions/s by the ceiling's commits/s at the same "
       "concurrency. write commits/run counts transactions that were given an xid.");
}

void RunSaga(Context& context) {
  // s1..s3 complete, s4 fails for good, s3, s2, s1 are compensated.
  RunRows(context, "3. Saga path: step 4 fails for good, steps 3, 2, 1 compensated", "bench_saga",
          "bench_saga", "compensated", 7, false);
}

void RunOutsideState(Context& context) {
  // Every step appends to a file, so no two share a commit.
  const std::string file = context.options.work_dir + "/bench_append.txt";
  RunRows(context, "10. Outside-state steps: 5-step core.append runs (no batching possible)",
          "bench_append", "bench_append", "completed", 5, false, "{\"path\":\"" + file + "\"}");
  Note(
      "Each core.append step writes a line to a local file, a stand-in for a call that "
      "changes outside state: its start is durable before it runs and its result before the "
      "next step starts. The creation commit also starts step 1.");
}

}  // namespace bench
