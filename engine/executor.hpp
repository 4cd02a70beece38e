// The executor: claims due runs from the store and drives each through its
// state machine on a pool of worker threads, at most one commit per
// transition (consecutive side-effect-free steps share one).
//
// Threads: one scheduler thread waits on PostgreSQL notifications (new or
// released runs) and a timer for the earliest due time, claims runs with
// FOR UPDATE SKIP LOCKED and renews the leases of held runs; N workers execute
// step attempts. A run waiting on a timer or a retry holds no thread and no
// lease. Public methods are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/definition_catalog.hpp"
#include "engine/executor_metrics.hpp"
#include "engine/run_scope.hpp"
#include "engine/store.hpp"

namespace sagaflow {

// Declares the executor's and HTTP layer's metric families for /metrics.
void DescribeExecutorMetrics();

struct ExecutorOptions {
  std::string owner;  // this process's lease owner id; unique per process
  int workers = 8;
  // How many runs one process holds at once (queued or executing).
  int max_in_flight = 64;
  std::chrono::milliseconds lease{30'000};
  // Transitions one worker makes on a run before letting others have a turn.
  int transitions_per_turn = 64;
};

class Executor {
 public:
  Executor(Store& store, DefinitionCatalog& catalog, RunEnvironment environment,
           ExecutorOptions options, std::string database_url);
  ~Executor();

  void Start();
  // Graceful stop: claims nothing more, lets steps in flight finish until
  // `deadline`, hands every held run back (due now), joins the threads.
  void Stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  // Creates a run and, when there is room, executes it here without a
  // separate claim. Throws what the store throws.
  CreateRunResult StartRun(NewRun run);

  bool running() const { return running_; }
  const ExecutorMetrics& metrics() const { return metrics_; }
  const std::string& owner() const { return options_.owner; }

 private:
  struct Held {
    std::string run_id;
    long long lease_token = 0;
    std::optional<std::string> previous_owner;
    // The run as this process just created it, so it need not be read back.
    std::shared_ptr<const RunRecord> created;
  };

  // Counts one commit carrying `transitions` (status before, after each).
  void CountCommit(const std::string& workflow,
                   const std::vector<std::pair<std::string, std::string>>& transitions);
  void SchedulerLoop();
  void WorkerLoop();
  void Process(const Held& held);
  void Enqueue(const Held& held);
  void Finished(const std::string& run_id);
  void Renewed(const std::string& run_id);
  void RenewDueLeases();
  void WakeScheduler();
  int FreeCapacity();

  Store& store_;
  DefinitionCatalog& catalog_;
  RunEnvironment environment_;
  ExecutorOptions options_;
  std::string database_url_;
  ExecutorMetrics metrics_;

  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::thread scheduler_;
  std::vector<std::thread> workers_;
  int wake_pipe_[2] = {-1, -1};

  std::mutex mutex_;
  std::condition_variable work_available_;
  std::condition_variable held_released_;  // held_ became empty
  std::deque<Held> queue_;
  // Runs this process holds, with when their lease was last extended.
  std::map<std::string, std::chrono::steady_clock::time_point> held_;
};

}  // namespace sagaflow
