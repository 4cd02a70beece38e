// Fires the `schedule` triggers of the loaded workflows.
//
// One thread sleeps until the earliest next tick of any schedule (no
// polling; it also wakes at least once a minute in case the system clock was
// set), then asks the store to start each due tick's run. Every process
// running a schedule tries every tick; the store's unique (schedule, fire
// time) key lets exactly one of them start the run. What counts as due, and
// what happens to ticks missed while every process was down, is
// engine/schedule_plan.hpp; where a schedule stands (its cursor, pause,
// last fire) is persisted in the store, so catch-up survives restarts.
//
// A tick's run gets the trigger's input evaluated with `now` = the tick's
// fire time (so the run of a caught-up tick says which tick it stands for),
// checked against the workflow's input schema. A store fault retries the
// same tick with backoff; an input that does not pass is recorded on the
// schedule (last_error) and the tick is skipped.
//
// Start and Stop from one thread; Now and List from any.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/definition_catalog.hpp"
#include "engine/schedule_clock.hpp"
#include "engine/schedule_plan.hpp"
#include "engine/store.hpp"

namespace sagaflow {

// A schedule as GET /v1/schedules shows it.
struct ScheduleView {
  ScheduleSpec spec;
  ScheduleRecord record;                  // as stored (pause, last fire, last error)
  std::optional<TimePoint> next_fire_at;  // nullopt when paused or never again
};

class CronScheduler {
 public:
  // `env` is what trigger inputs read as env.*.
  CronScheduler(Store& store, DefinitionCatalog& catalog, Json env, ScheduleClock clock);
  ~CronScheduler();

  // Registers the schedules of the catalog's latest definitions (throws what
  // the store throws) and starts the thread.
  void Start();
  void Stop();

  TimePoint Now() const { return clock_.Now(); }
  // The loaded schedules, with their stored state. Throws what the store throws.
  std::vector<ScheduleView> List();
  bool Has(const std::string& id) const;

 private:
  struct Entry {
    ScheduleSpec spec;
    TimePoint cursor;  // every tick at or before it is handled
    std::optional<std::chrono::steady_clock::time_point> retry_at;  // after a store fault
    int failures = 0;
  };

  void Loop();
  // Handles the due ticks of one schedule; false when the store failed.
  bool Handle(Entry& entry, TimePoint now);
  // Starts one tick's run; false when the store failed.
  bool Fire(Entry& entry, TimePoint fire_at);
  std::optional<TimePoint> NextFire(const Entry& entry) const;

  Store& store_;
  DefinitionCatalog& catalog_;
  Json env_;
  ScheduleClock clock_;
  TimePoint started_at_{};

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Entry> entries_;
  std::thread thread_;
};

}  // namespace sagaflow
