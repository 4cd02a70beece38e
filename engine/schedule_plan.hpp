// Which ticks of a cron schedule to fire now: the pure decisions of the
// scheduler, kept apart from its thread and the database so they can be
// tested tick by tick.
//
// A schedule has a cursor: every tick at or before it has been handled. At
// time `now` the due ticks are those in (cursor, now]. Normally that is one
// tick and it fires. More than one means ticks were missed — every process
// was down, or the database was away — and the trigger's catch_up decides:
//   all:  fire every due tick, oldest first, at most kMaxCatchUpTicks (the
//         newest ones);
//   last: fire only the newest due tick;
//   none: fire the newest due tick only if it fell due while this process's
//         scheduler was running (after `started_at`); ticks that fell due
//         while it was not are skipped.
// Either way the cursor then moves to the newest due tick.
//
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/step.hpp"

namespace sagaflow {

inline constexpr size_t kMaxCatchUpTicks = 100;

// A schedule trigger of a loaded workflow. `id` is "<workflow>:<n>" with n
// counting only that workflow's schedule triggers from 0, so it stays put
// when other triggers are added or the version changes.
struct ScheduleSpec {
  std::string id;
  DefinitionPtr definition;
  const ScheduleTrigger* trigger = nullptr;  // owned by `definition`
};

std::vector<ScheduleSpec> CollectSchedules(const std::vector<DefinitionPtr>& definitions);

const char* CatchUpName(CatchUp catch_up);

struct TickPlan {
  std::vector<TimePoint> fire;       // oldest first
  std::optional<TimePoint> through;  // the newest due tick; nullopt: none was due
};

TickPlan PlanTicks(const CronSchedule& cron, const TimeZone& zone, CatchUp catch_up,
                   TimePoint cursor, TimePoint now, TimePoint started_at,
                   size_t max_ticks = kMaxCatchUpTicks);

// The newest `count` ticks in (after, upto], oldest first. Looks back in
// growing windows, so a long outage costs about as much as the ticks kept.
std::vector<TimePoint> NewestTicks(const CronSchedule& cron, const TimeZone& zone, TimePoint after,
                                   TimePoint upto, size_t count);

}  // namespace sagaflow
