#include "engine/cron_scheduler.hpp"

#include <algorithm>
#include <iostream>

#include "engine/ids.hpp"
#include "engine/metrics.hpp"
#include "engine/time_format.hpp"

namespace sagaflow {
namespace {

using Steady = std::chrono::steady_clock;

// Wake at least this often even with nothing due, in case the system clock
// was set: the sleep is measured on the steady clock, fire times on the wall.
constexpr auto kMaxSleep = std::chrono::seconds(60);

std::chrono::milliseconds Backoff(int failures) {
  const int exponent = std::min(failures - 1, 5);
  return std::chrono::milliseconds(1000) * (1 << exponent);  // 1 s .. 32 s
}

void CountTick(const std::string& id, const char* outcome) {
  Metrics().Add("sagaflow_schedule_ticks_total", {{"schedule", id}, {"outcome", outcome}});
}

}  // namespace

CronScheduler::CronScheduler(Store& store, DefinitionCatalog& catalog, Json env,
                             ScheduleClock clock)
    : store_(store), catalog_(catalog), env_(std::move(env)), clock_(clock) {}

CronScheduler::~CronScheduler() {
  Stop();
}

void CronScheduler::Start() {
  using Type = MetricsRegistry::Type;
  Metrics().Describe("sagaflow_schedule_ticks_total", Type::kCounter,
                     "Schedule ticks handled by this process, by outcome: started (this "
                     "process started the run), already_started (another process did), "
                     "paused, skipped (catch-up policy), input_rejected.");
  Metrics().Describe("sagaflow_schedule_next_fire_timestamp_seconds", Type::kGauge,
                     "When each schedule fires next (unix seconds, schedule clock).");
  started_at_ = clock_.Now();
  std::vector<Entry> entries;
  for (auto& spec : CollectSchedules(catalog_.LatestAll())) {
    ScheduleRecord wanted;
    wanted.id = spec.id;
    wanted.workflow = spec.definition->name;
    wanted.cron = spec.trigger->cron_text;
    wanted.timezone = spec.trigger->timezone_name;
    const ScheduleRecord stored = store_.RegisterSchedule(wanted, started_at_);
    entries.push_back(Entry{std::move(spec), stored.checked_through, std::nullopt, 0});
  }
  {
    std::lock_guard lock(mutex_);
    entries_ = std::move(entries);
    stopping_ = false;
  }
  if (entries_.empty()) return;  // nothing to fire: no thread
  thread_ = std::thread([this] { Loop(); });
}

void CronScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool CronScheduler::Has(const std::string& id) const {
  std::lock_guard lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& entry) { return entry.spec.id == id; });
}

std::optional<TimePoint> CronScheduler::NextFire(const Entry& entry) const {
  return entry.spec.trigger->cron->next_after(entry.cursor, entry.spec.trigger->timezone);
}

void CronScheduler::Loop() {
  while (true) {
    const TimePoint now = clock_.Now();
    for (auto& entry : entries_) {
      if (entry.retry_at && Steady::now() < *entry.retry_at) continue;
      if (Handle(entry, now)) {
        entry.failures = 0;
        entry.retry_at.reset();
      } else {
        ++entry.failures;
        entry.retry_at = Steady::now() + Backoff(entry.failures);
      }
    }
    // Sleep until the earliest next tick or retry.
    auto wake_at = Steady::now() + kMaxSleep;
    for (const auto& entry : entries_) {
      if (entry.retry_at) {
        wake_at = std::min(wake_at, *entry.retry_at);
      } else if (auto next = NextFire(entry)) {
        // A millisecond late rather than early: early would find nothing due.
        wake_at = std::min(
            wake_at, Steady::now() + clock_.RealDelayUntil(*next) + std::chrono::milliseconds(1));
        Metrics().Set("sagaflow_schedule_next_fire_timestamp_seconds",
                      {{"schedule", entry.spec.id}},
                      static_cast<double>(EpochMillis(*next)) / 1000);
      }
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, wake_at, [this] { return stopping_; })) return;
  }
}

bool CronScheduler::Handle(Entry& entry, TimePoint now) {
  const ScheduleTrigger& trigger = *entry.spec.trigger;
  const TickPlan plan =
      PlanTicks(*trigger.cron, trigger.timezone, trigger.catch_up, entry.cursor, now, started_at_);
  if (!plan.through) return true;
  for (const TimePoint fire_at : plan.fire) {
    if (!Fire(entry, fire_at)) return false;
  }
  if (entry.cursor < *plan.through) {
    // Due ticks the catch-up policy passes over: remember they were handled.
    try {
      store_.SkipScheduleTicks(entry.spec.id, *plan.through, std::nullopt);
    } catch (const std::exception& error) {
      std::cerr << "sagaflow: schedule " << entry.spec.id << ": " << error.what() << "\n";
      return false;
    }
    CountTick(entry.spec.id, "skipped");
    std::lock_guard lock(mutex_);
    entry.cursor = *plan.through;
  }
  return true;
}

bool CronScheduler::Fire(Entry& entry, TimePoint fire_at) {
  const ScheduleSpec& spec = entry.spec;
  const std::string when = FormatIso(fire_at);
  auto advance = [&] {
    std::lock_guard lock(mutex_);
    entry.cursor = std::max(entry.cursor, fire_at);
  };
  // The tick's input: `now` is the fire time, the same in every process.
  const Json scope{{"env", env_}};
  const EvalContext ctx{scope, [fire_at] { return fire_at; }};
  std::optional<std::string> problem;
  Json input;
  if (auto rendered = spec.trigger->input.render(ctx); !rendered) {
    problem = "the trigger's input could not be evaluated: " + rendered.error().message;
  } else if (!rendered.value().is_object()) {
    problem = "the trigger's input is not a JSON object";
  } else {
    auto checked = spec.definition->input_schema->check_input(std::move(rendered).value());
    if (checked.ok()) {
      input = std::move(checked.value);
    } else {
      problem =
          "the input does not pass the workflow's schema: " + to_string(checked.violations.front());
    }
  }
  try {
    if (problem) {
      std::cerr << "sagaflow: schedule " << spec.id << " tick " << when
                << " starts nothing: " << *problem << "\n";
      store_.SkipScheduleTicks(spec.id, fire_at, *problem);
      CountTick(spec.id, "input_rejected");
      advance();
      return true;
    }
    ScheduleTick tick;
    tick.schedule_id = spec.id;
    tick.fire_at = fire_at;
    tick.run.id = NewUuid();
    tick.run.workflow = spec.definition->name;
    tick.run.version = spec.definition->version;
    tick.run.input = std::move(input);
    tick.run.trigger = Json{{"kind", "schedule"},
                            {"schedule", spec.id},
                            {"fire_at", when},
                            {"cron", spec.trigger->cron_text},
                            {"timezone", spec.trigger->timezone_name}};
    const ScheduleTickResult result = store_.FireScheduleTick(tick);
    if (!result.found) {
      // The row went away (deleted by hand): put it back, try again later.
      ScheduleRecord wanted;
      wanted.id = spec.id;
      wanted.workflow = spec.definition->name;
      wanted.cron = spec.trigger->cron_text;
      wanted.timezone = spec.trigger->timezone_name;
      store_.RegisterSchedule(wanted, fire_at - std::chrono::seconds(1));
      return false;
    }
    CountTick(spec.id, result.paused ? "paused" : result.created ? "started" : "already_started");
    advance();
    return true;
  } catch (const std::exception& error) {
    if (entry.failures == 0) {
      std::cerr << "sagaflow: schedule " << spec.id << " tick " << when
                << " not recorded yet, will retry: " << error.what() << "\n";
    }
    return false;
  }
}

std::vector<ScheduleView> CronScheduler::List() {
  std::map<std::string, ScheduleRecord> stored;
  for (auto& record : store_.ListSchedules()) stored[record.id] = std::move(record);
  const TimePoint now = clock_.Now();
  std::vector<ScheduleView> views;
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    ScheduleView view;
    view.spec = entry.spec;
    auto it = stored.find(entry.spec.id);
    if (it != stored.end()) view.record = it->second;
    view.record.id = entry.spec.id;
    if (!view.record.paused) {
      view.next_fire_at = entry.spec.trigger->cron->next_after(std::max(entry.cursor, now),
                                                               entry.spec.trigger->timezone);
    }
    views.push_back(std::move(view));
  }
  return views;
}

}  // namespace sagaflow
