#include "engine/executor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <iostream>
#include <pqxx/pqxx>

#include "engine/errors.hpp"
#include "engine/metrics.hpp"
#include "engine/pg_pool.hpp"
#include "engine/run_machine.hpp"
#include "engine/time_format.hpp"
#include "engine/transition_batch.hpp"

namespace sagaflow {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How long side-effect-free transitions may wait for a shared commit.
constexpr auto kMaxBatchAge = std::chrono::seconds(1);

// Collects the due times that NOTIFY payloads announce ("0": due now).
class WakeReceiver : public pqxx::notification_receiver {
 public:
  WakeReceiver(pqxx::connection_base& connection, std::optional<TimePoint>& next_due)
      : pqxx::notification_receiver(connection, "sagaflow_wake"), next_due_(next_due) {}

  void operator()(const std::string& payload, int) override {
    long long ms = 0;
    try {
      ms = std::stoll(payload);
    } catch (...) {
      ms = 0;
    }
    const TimePoint due = ms == 0 ? Clock::now() : FromEpochMillis(ms);
    if (!next_due_ || due < *next_due_) next_due_ = due;
  }

 private:
  std::optional<TimePoint>& next_due_;
};

// Counts a run's arrival in a status that /metrics reports.
void CountStatus(const std::string& workflow, const std::string& before, const std::string& after) {
  if (before == after) return;
  static const std::map<std::string, std::string> kCounters = {
      {run_status::kRunning, "sagaflow_runs_started_total"},
      {run_status::kCompleted, "sagaflow_runs_completed_total"},
      {run_status::kCompensated, "sagaflow_runs_compensated_total"},
      {run_status::kStuck, "sagaflow_runs_stuck_total"},
      {run_status::kCancelled, "sagaflow_runs_cancelled_total"},
  };
  auto counter = kCounters.find(after);
  if (counter == kCounters.end()) return;
  // "started" counts pending -> running only, not resumes.
  if (after == run_status::kRunning && before != run_status::kPending) return;
  Metrics().Add(counter->second, {{"workflow", workflow}});
}

const char* OutcomeName(StepResult::Kind kind) {
  switch (kind) {
    case StepResult::Kind::kCompleted:
      return "completed";
    case StepResult::Kind::kRetryableFailure:
      return "retryable_failure";
    case StepResult::Kind::kFinalFailure:
      return "final_failure";
    case StepResult::Kind::kWaitUntil:
      return "waiting";
  }
  return "unknown";
}

}  // namespace

void DescribeExecutorMetrics() {
  using Type = MetricsRegistry::Type;
  MetricsRegistry& m = Metrics();
  m.Describe("sagaflow_runs_started_total", Type::kCounter, "Runs that began executing.");
  m.Describe("sagaflow_runs_completed_total", Type::kCounter, "Runs that completed.");
  m.Describe("sagaflow_runs_compensated_total", Type::kCounter, "Runs rolled back.");
  m.Describe("sagaflow_runs_stuck_total", Type::kCounter, "Runs whose compensation failed.");
  m.Describe("sagaflow_runs_cancelled_total", Type::kCounter, "Runs cancelled by an operator.");
  m.Describe("sagaflow_step_attempts_total", Type::kCounter, "Step attempts by type and outcome.");
  m.Describe("sagaflow_step_duration_seconds", Type::kHistogram, "Time a step attempt took.");
  m.Describe("sagaflow_lease_takeovers_total", Type::kCounter,
             "Runs taken over from a process whose lease expired.");
  m.Describe("sagaflow_transitions_total", Type::kCounter, "Committed state transitions.");
  m.Describe("sagaflow_transition_commits_total", Type::kCounter,
             "Commits that carried transitions (side-effect-free steps share one).");
  m.Describe("sagaflow_http_requests_total", Type::kCounter, "HTTP requests by route and status.");
  m.Describe("sagaflow_http_request_duration_seconds", Type::kHistogram,
             "HTTP request latency by route.");
}

Executor::Executor(Store& store, DefinitionCatalog& catalog, RunEnvironment environment,
                   ExecutorOptions options, std::string database_url)
    : store_(store),
      catalog_(catalog),
      environment_(std::move(environment)),
      options_(std::move(options)),
      database_url_(std::move(database_url)) {
  if (pipe2(wake_pipe_, O_NONBLOCK | O_CLOEXEC) != 0) {
    throw std::runtime_error("cannot create the executor's wake pipe");
  }
}

Executor::~Executor() {
  Stop(std::chrono::milliseconds(0));
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

void Executor::Start() {
  if (running_.exchange(true)) return;
  DescribeExecutorMetrics();
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  scheduler_ = std::thread([this] { SchedulerLoop(); });
}

void Executor::Stop(std::chrono::milliseconds deadline) {
  if (!running_) return;
  stopping_ = true;
  WakeScheduler();
  if (scheduler_.joinable()) scheduler_.join();
  {
    // Runs still queued have not started a step here: hand them back now.
    std::unique_lock lock(mutex_);
    std::vector<std::string> queued;
    for (const auto& held : queue_) queued.push_back(held.run_id);
    queue_.clear();
    for (const auto& id : queued) held_.erase(id);
    lock.unlock();
    try {
      store_.ReleaseLeases(options_.owner, queued);
    } catch (const std::exception&) {
      // Their leases expire on their own.
    }
    lock.lock();
    work_available_.notify_all();
    // Workers finish the attempt in flight; give them until the deadline.
    held_released_.wait_for(lock, deadline, [&] { return held_.empty(); });
  }
  std::vector<std::string> remaining;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, _] : held_) remaining.push_back(id);
  }
  try {
    store_.ReleaseLeases(options_.owner, remaining);
  } catch (const std::exception&) {
  }
  // Workers still in a step past the deadline are detached from the store by
  // the release above; joining waits for their handler to return.
  work_available_.notify_all();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
  running_ = false;
}

CreateRunResult Executor::StartRun(NewRun run) {
  const bool here = running_ && !stopping_ && FreeCapacity() > 0;
  if (!here) return store_.CreateRun(run, options_.lease);

  // Created here, the run is also started in the same statement: the
  // machine's start transition is written with the run row.
  run.lease_owner = options_.owner;
  RunRecord record;
  record.id = run.id;
  record.workflow = run.workflow;
  record.version = run.version;
  record.status = run_status::kPending;
  record.input = run.input;
  record.trigger = run.trigger;
  record.lease_owner = run.lease_owner;
  record.lease_token = 1;  // what kCreateRun gives a run created leased
  std::optional<RunMachine> machine;
  const DefinitionPtr definition = catalog_.Get(run.workflow, run.version);
  if (definition) {
    machine.emplace(*definition, environment_, record);
    Transition start = machine->Start();
    // Only a plain start is folded in; one that already fails or finishes
    // goes through the worker's commit like any other transition.
    if (start.status == run_status::kRunning && !start.release && !start.finished) {
      run.start = std::move(start);
      machine->Committed(*run.start);
    }
  }
  CreateRunResult created = store_.CreateRun(run, options_.lease);
  if (!created.created) return created;
  if (run.start) {
    CountCommit(run.workflow, {{run_status::kPending, run_status::kRunning}});
    record = machine->run();
  }
  record.created_at = created.created_at;
  record.updated_at = created.created_at;
  record.lease_token = created.lease_token;
  {
    std::lock_guard lock(mutex_);
    held_[created.id] = SteadyClock::now();
  }
  Enqueue({created.id, created.lease_token, std::nullopt,
           std::make_shared<const RunRecord>(std::move(record))});
  return created;
}

void Executor::CountCommit(const std::string& workflow,
                           const std::vector<std::pair<std::string, std::string>>& transitions) {
  metrics_.transitions += static_cast<long long>(transitions.size());
  metrics_.commits++;
  Metrics().Add("sagaflow_transitions_total", {}, static_cast<double>(transitions.size()));
  Metrics().Add("sagaflow_transition_commits_total", {});
  for (const auto& [before, after] : transitions) CountStatus(workflow, before, after);
}

int Executor::FreeCapacity() {
  std::lock_guard lock(mutex_);
  return options_.max_in_flight - static_cast<int>(held_.size());
}

void Executor::WakeScheduler() {
  const char byte = 1;
  [[maybe_unused]] auto written = write(wake_pipe_[1], &byte, 1);
}

void Executor::Enqueue(const Held& held) {
  std::lock_guard lock(mutex_);
  queue_.push_back(held);
  work_available_.notify_one();
}

void Executor::Finished(const std::string& run_id) {
  bool was_full = false;
  {
    std::lock_guard lock(mutex_);
    was_full = static_cast<int>(held_.size()) >= options_.max_in_flight;
    held_.erase(run_id);
    // Only Stop() waits for this; waking idle workers here would cost a
    // context switch each per finished run.
    if (held_.empty()) held_released_.notify_all();
  }
  if (was_full) WakeScheduler();
}

void Executor::Renewed(const std::string& run_id) {
  std::lock_guard lock(mutex_);
  auto it = held_.find(run_id);
  if (it != held_.end()) it->second = SteadyClock::now();
}

void Executor::RenewDueLeases() {
  const auto stale = SteadyClock::now() - options_.lease / 3;
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, renewed] : held_) {
      if (renewed < stale) ids.push_back(id);
    }
  }
  if (ids.empty()) return;
  store_.RenewLeases(options_.owner, ids, options_.lease);
  for (const auto& id : ids) Renewed(id);
}

void Executor::SchedulerLoop() {
  std::unique_ptr<pqxx::connection> listener;
  std::unique_ptr<WakeReceiver> receiver;
  std::optional<TimePoint> next_due = Clock::now();  // look once at start
  auto backoff = std::chrono::milliseconds(100);

  while (!stopping_) {
    try {
      if (!listener) {
        listener = OpenConnection(database_url_);
        receiver = std::make_unique<WakeReceiver>(*listener, next_due);
        next_due = Clock::now();  // notifications may have been missed meanwhile
        backoff = std::chrono::milliseconds(100);
      }
      // Renew first: a lease of ours that ran out must not be claimed back
      // by ourselves as if its holder had died.
      RenewDueLeases();
      if (next_due && *next_due <= Clock::now()) {
        next_due.reset();
        metrics_.wakeups++;
        const int capacity = FreeCapacity();
        if (capacity > 0) {
          auto claimed = store_.ClaimDue(options_.owner, capacity, options_.lease);
          if (!claimed.empty()) {
            metrics_.claims++;
            metrics_.runs_claimed += static_cast<long long>(claimed.size());
          }
          for (auto& run : claimed) {
            {
              std::lock_guard lock(mutex_);
              held_[run.id] = SteadyClock::now();
            }
            Enqueue({run.id, run.lease_token, run.previous_owner, nullptr});
          }
          // A full batch may have left more behind: look again at once.
          if (static_cast<int>(claimed.size()) == capacity) next_due = Clock::now();
        }
        if (!next_due) next_due = store_.NextDueAt();
      }

      // Sleep until the next due time, a lease renewal, a notification or a
      // local wake-up, whichever comes first.
      auto timeout = std::chrono::milliseconds(options_.lease / 3);
      if (next_due) {
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
            *next_due - Clock::now() + std::chrono::milliseconds(1));
        timeout = std::min(timeout, std::max(until, std::chrono::milliseconds(0)));
      }
      // Never longer than lease/3, even with nothing held: a run started
      // here (Executor::StartRun) joins held_ without waking this thread,
      // and only this thread's heartbeat extends its lease. An idle wake-up
      // sends no statement.
      pollfd fds[2] = {{listener->sock(), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
      poll(fds, 2, static_cast<int>(timeout.count()));
      if (fds[1].revents & POLLIN) {
        char buffer[64];
        while (read(wake_pipe_[0], buffer, sizeof buffer) > 0) {
        }
        if (FreeCapacity() > 0 && !next_due) next_due = store_.NextDueAt();
      }
      if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) listener->get_notifs();
    } catch (const std::exception& error) {
      // The database went away: reconnect with backoff; nothing is lost,
      // every run's state is in the database.
      metrics_.store_unavailable++;
      receiver.reset();
      listener.reset();
      std::cerr << "sagaflow: scheduler: " << error.what() << "; retrying in " << backoff.count()
                << "ms\n";
      pollfd fd{wake_pipe_[0], POLLIN, 0};
      poll(&fd, 1, static_cast<int>(backoff.count()));
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }
}

void Executor::WorkerLoop() {
  while (true) {
    Held held;
    {
      std::unique_lock lock(mutex_);
      work_available_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;
      held = queue_.front();
      queue_.pop_front();
    }
    Process(held);
  }
}

void Executor::Process(const Held& held) {
  bool keep = false;  // the run goes back on the queue under the same lease
  try {
    std::optional<RunRecord> record;
    if (held.created) {
      record = *held.created;
    } else {
      record = store_.GetRun(held.run_id);
    }
    if (!record || record->lease_token != held.lease_token) {
      Finished(held.run_id);
      return;
    }
    DefinitionPtr definition = catalog_.Get(record->workflow, record->version);
    if (!definition) {
      std::cerr << "sagaflow: run " << held.run_id << ": definition " << record->workflow << " v"
                << record->version << " is not available; leaving the run\n";
      Finished(held.run_id);
      return;
    }
    RunMachine machine(*definition, environment_, std::move(*record));

    // Transitions accepted by the machine but not yet committed. A batch is
    // committed as soon as it records the result of a step that changed
    // outside state, before such a step runs, before the run is let go, and
    // once it is older than kMaxBatchAge (so operators see progress and
    // their requests are read). So a crash before the commit only repeats
    // steps that touched nothing outside the run.
    TransitionBatch batch;
    SteadyClock::time_point batch_opened;
    auto flush = [&]() -> Json {
      if (batch.empty()) return nullptr;
      const CommitResult result = store_.Commit(held.run_id, held.lease_token, batch.merged());
      CountCommit(machine.run().workflow, batch.status_changes());
      batch.Clear();
      return result.command;
    };
    // `after_outside_step`: the transition records what a step that changed
    // outside state did; it must be durable before anything else happens.
    // A batch older than kMaxBatchAge is committed with the next transition.
    auto commit = [&](Transition transition, bool after_outside_step = false) -> Json {
      const std::string before = machine.run().status;
      machine.Committed(transition);
      if (batch.empty()) batch_opened = SteadyClock::now();
      batch.Add(std::move(transition), before);
      const bool defer = !after_outside_step && !stopping_ &&
                         SteadyClock::now() - batch_opened < kMaxBatchAge &&
                         machine.WhatNext() == RunMachine::Next::kExecute &&
                         !machine.CurrentAction().changes_outside_state;
      return defer ? Json() : flush();
    };

    Json command = machine.run().command;
    const auto next = machine.WhatNext();
    if (held.previous_owner && machine.run().current_step && next == RunMachine::Next::kExecute) {
      metrics_.takeovers++;
      Metrics().Add("sagaflow_lease_takeovers_total", {});
      command = commit(machine.Takeover());
      if (command.is_null()) command = machine.run().command;
    }
    int turns = 0;
    while (true) {
      if (!command.is_null()) {
        auto applied = machine.ApplyCommand(command);
        command = nullptr;
        if (applied) command = commit(*applied);
        continue;
      }
      if (stopping_ || ++turns > options_.transitions_per_turn) {
        flush();  // an operator request it returns is read again on the next turn
        keep = !stopping_ && machine.WhatNext() != RunMachine::Next::kIdle;
        break;
      }
      const auto what = machine.WhatNext();
      if (what == RunMachine::Next::kIdle) break;
      if (what == RunMachine::Next::kStart) {
        command = commit(machine.Start());
        continue;
      }
      auto prepared = machine.PrepareAttempt(Clock::now());
      StepResult result;
      std::vector<std::string> logs;
      bool touched_outside = false;
      if (auto* failed = std::get_if<StepResult>(&prepared)) {
        result = *failed;
      } else {
        StepContext& ctx = std::get<StepContext>(prepared);
        ctx.log = [&logs](const std::string& line) { logs.push_back(line); };
        metrics_.step_attempts++;
        touched_outside = machine.CurrentAction().changes_outside_state;
        const auto started = std::chrono::steady_clock::now();
        try {
          result = machine.CurrentAction().type->handler(ctx);
        } catch (const std::exception& error) {
          result = StepResult::Retryable("step_exception", error.what());
        }
        const std::string& type = machine.CurrentAction().uses;
        Metrics().Add("sagaflow_step_attempts_total",
                      {{"step_type", type}, {"outcome", OutcomeName(result.kind)}});
        Metrics().Observe(
            "sagaflow_step_duration_seconds", {{"step_type", type}},
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      }
      command = commit(machine.OnResult(result, logs), touched_outside);
    }
    if (stopping_ && !machine.released()) store_.ReleaseLeases(options_.owner, {held.run_id});
  } catch (const LeaseLost&) {
    metrics_.leases_lost++;
  } catch (const StoreUnavailable& error) {
    // The lease stays in the database until it expires; then this or another
    // process takes the run over and repeats the step in doubt.
    metrics_.store_unavailable++;
    std::cerr << "sagaflow: run " << held.run_id << ": " << error.what() << "\n";
  } catch (const std::exception& error) {
    std::cerr << "sagaflow: run " << held.run_id << ": unexpected error: " << error.what() << "\n";
  }
  if (keep) {
    Enqueue({held.run_id, held.lease_token, std::nullopt, nullptr});
  } else {
    Finished(held.run_id);
  }
}

}  // namespace sagaflow
