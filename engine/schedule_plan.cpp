#include "engine/schedule_plan.hpp"

#include <algorithm>

namespace sagaflow {

std::vector<ScheduleSpec> CollectSchedules(const std::vector<DefinitionPtr>& definitions) {
  std::vector<ScheduleSpec> specs;
  for (const auto& definition : definitions) {
    int n = 0;
    for (const auto& trigger : definition->triggers) {
      if (trigger.kind != Trigger::Kind::kSchedule || !trigger.schedule) continue;
      specs.push_back(
          {definition->name + ":" + std::to_string(n++), definition, &*trigger.schedule});
    }
  }
  return specs;
}

const char* CatchUpName(CatchUp catch_up) {
  switch (catch_up) {
    case CatchUp::kNone:
      return "none";
    case CatchUp::kLast:
      return "last";
    case CatchUp::kAll:
      return "all";
  }
  return "last";
}

std::vector<TimePoint> NewestTicks(const CronSchedule& cron, const TimeZone& zone, TimePoint after,
                                   TimePoint upto, size_t count) {
  using std::chrono::hours;
  if (count == 0 || upto <= after) return {};
  // Each window is at most ~25 times the one before, so when a window first
  // holds `count` ticks it holds at most ~25 * count of them.
  static const std::vector<Clock::duration> kWindows = {
      hours(1), hours(24), hours(24 * 7), hours(24 * 35), hours(24 * 400), hours(24 * 366 * 9)};
  for (size_t w = 0;; ++w) {
    const bool whole = w >= kWindows.size() || upto - after <= kWindows[w];
    const TimePoint from = whole ? after : upto - kWindows[w];
    std::vector<TimePoint> ticks;
    for (auto next = cron.next_after(from, zone); next && *next <= upto;
         next = cron.next_after(*next, zone)) {
      ticks.push_back(*next);
    }
    if (ticks.size() >= count || whole) {
      if (ticks.size() > count) ticks.erase(ticks.begin(), ticks.end() - count);
      return ticks;
    }
  }
}

TickPlan PlanTicks(const CronSchedule& cron, const TimeZone& zone, CatchUp catch_up,
                   TimePoint cursor, TimePoint now, TimePoint started_at, size_t max_ticks) {
  TickPlan plan;
  const size_t wanted = catch_up == CatchUp::kAll ? std::max<size_t>(1, max_ticks) : 1;
  std::vector<TimePoint> due = NewestTicks(cron, zone, cursor, now, wanted);
  if (due.empty()) return plan;
  plan.through = due.back();
  switch (catch_up) {
    case CatchUp::kAll:
      plan.fire = std::move(due);
      break;
    case CatchUp::kLast:
      plan.fire = {due.back()};
      break;
    case CatchUp::kNone:
      if (due.back() > started_at) plan.fire = {due.back()};
      break;
  }
  return plan;
}

}  // namespace sagaflow
