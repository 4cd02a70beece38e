// Unit tests for engine/schedule_plan and engine/schedule_clock: which ticks
// fire under each catch-up policy, bounded catch-up, daylight-saving days,
// schedule ids, and the scaled test clock.
#include "engine/schedule_plan.hpp"

#include <catch2/catch.hpp>

#include "engine/loader.hpp"
#include "engine/schedule_clock.hpp"
#include "engine/time_format.hpp"
#include "steps/builtin_steps.hpp"

namespace sagaflow {
namespace {

TimePoint T(const std::string& iso) {
  auto parsed = ParseTimestamp(iso);
  REQUIRE(parsed);
  return *parsed;
}

CronSchedule Cron(const std::string& line) {
  auto parsed = CronSchedule::parse(line);
  REQUIRE(parsed.ok());
  return parsed.value();
}

std::vector<std::string> Iso(const std::vector<TimePoint>& times) {
  std::vector<std::string> out;
  for (auto t : times) out.push_back(FormatIso(t));
  return out;
}

TimeZone Zone(const std::string& name) {
  auto zone = TimeZone::load(name);
  REQUIRE(zone.ok());
  return zone.value();
}

}  // namespace

TEST_CASE("on time, every policy fires the one due tick", "[schedule]") {
  const CronSchedule cron = Cron("*/5 * * * *");
  const TimeZone utc = TimeZone::utc();
  for (CatchUp policy : {CatchUp::kNone, CatchUp::kLast, CatchUp::kAll}) {
    INFO(CatchUpName(policy));
    const TimePoint started = T("2026-01-01T09:00:00Z");
    const TickPlan idle =
        PlanTicks(cron, utc, policy, T("2026-01-01T10:00:00Z"), T("2026-01-01T10:04:59Z"), started);
    CHECK(idle.fire.empty());
    CHECK_FALSE(idle.through);
    const TickPlan due = PlanTicks(cron, utc, policy, T("2026-01-01T10:00:00Z"),
                                   T("2026-01-01T10:05:00.002Z"), started);
    CHECK(Iso(due.fire) == std::vector<std::string>{"2026-01-01T10:05:00.000Z"});
    CHECK(FormatIso(*due.through) == "2026-01-01T10:05:00.000Z");
  }
}

TEST_CASE("ticks missed while the process was down follow catch_up", "[schedule]") {
  const CronSchedule cron = Cron("*/5 * * * *");
  const TimeZone utc = TimeZone::utc();
  // Last handled 10:00; the process came back at 10:31 (ticks 10:05..10:30 missed).
  const TimePoint cursor = T("2026-01-01T10:00:00Z");
  const TimePoint started = T("2026-01-01T10:31:00Z");
  const TimePoint now = T("2026-01-01T10:31:00.5Z");
  const TickPlan all = PlanTicks(cron, utc, CatchUp::kAll, cursor, now, started);
  CHECK(all.fire.size() == 6);
  CHECK(FormatIso(all.fire.front()) == "2026-01-01T10:05:00.000Z");
  const TickPlan last = PlanTicks(cron, utc, CatchUp::kLast, cursor, now, started);
  CHECK(Iso(last.fire) == std::vector<std::string>{"2026-01-01T10:30:00.000Z"});
  const TickPlan none = PlanTicks(cron, utc, CatchUp::kNone, cursor, now, started);
  CHECK(none.fire.empty());
  for (const TickPlan* plan : {&all, &last, &none}) {
    CHECK(FormatIso(*plan->through) == "2026-01-01T10:30:00.000Z");
  }
}

TEST_CASE("falling behind while running: none and last fire only the newest tick", "[schedule]") {
  const CronSchedule cron = Cron("*/5 * * * *");
  const TimeZone utc = TimeZone::utc();
  const TimePoint started = T("2026-01-01T09:00:00Z");  // running since before the outage
  const TimePoint cursor = T("2026-01-01T10:00:00Z");
  const TimePoint now = T("2026-01-01T10:16:00Z");
  CHECK(Iso(PlanTicks(cron, utc, CatchUp::kNone, cursor, now, started).fire) ==
        std::vector<std::string>{"2026-01-01T10:15:00.000Z"});
  CHECK(PlanTicks(cron, utc, CatchUp::kLast, cursor, now, started).fire.size() == 1);
  CHECK(PlanTicks(cron, utc, CatchUp::kAll, cursor, now, started).fire.size() == 3);
}

TEST_CASE("catch-up is bounded to the newest ticks, however long the outage", "[schedule]") {
  const CronSchedule cron = Cron("* * * * *");
  const TimeZone utc = TimeZone::utc();
  const TimePoint now = T("2026-06-01T12:00:30Z");
  const TickPlan all = PlanTicks(cron, utc, CatchUp::kAll, T("2025-06-01T00:00:00Z"), now, now);
  REQUIRE(all.fire.size() == kMaxCatchUpTicks);
  CHECK(FormatIso(all.fire.back()) == "2026-06-01T12:00:00.000Z");
  CHECK(FormatIso(all.fire.front()) == "2026-06-01T10:21:00.000Z");
  // Sparse schedules look back far enough.
  const auto yearly = NewestTicks(Cron("0 0 1 1 *"), utc, T("2010-01-01T00:00:00Z"), now, 3);
  CHECK(Iso(yearly) == std::vector<std::string>{"2024-01-01T00:00:00.000Z",
                                                "2025-01-01T00:00:00.000Z",
                                                "2026-01-01T00:00:00.000Z"});
}

TEST_CASE("daylight saving: a skipped time fires once, a repeated one once", "[schedule]") {
  const TimeZone ny = Zone("America/New_York");
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
  const auto spring =
      NewestTicks(Cron("30 2 * * *"), ny, T("2026-03-08T05:00:00Z"), T("2026-03-08T10:00:00Z"), 10);
  CHECK(Iso(spring) == std::vector<std::string>{"2026-03-08T07:00:00.000Z"});  // 03:00 EDT
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
  const auto fall =
      NewestTicks(Cron("30 1 * * *"), ny, T("2026-11-01T03:00:00Z"), T("2026-11-01T09:00:00Z"), 10);
  CHECK(Iso(fall) == std::vector<std::string>{"2026-11-01T05:30:00.000Z"});  // 01:30 EDT
}

TEST_CASE("schedule ids count a workflow's schedule triggers", "[schedule]") {
  const char* yaml = R"(
name: reports
version: 3
triggers:
  - http: {}
  - schedule: {cron: "0 * * * *"}
  - webhook: {source: stripe, events: [customer.created]}
  - schedule: {cron: "0 9 * * 1", timezone: Europe/Paris, catch_up: all}
steps:
  - {id: a, uses: core.noop}
)";
  LoadResult loaded = LoadDefinition("reports.yaml", yaml, BuiltinStepRegistry());
  REQUIRE(loaded.definition);
  const auto specs = CollectSchedules({loaded.definition});
  REQUIRE(specs.size() == 2);
  CHECK(specs[0].id == "reports:0");
  CHECK(specs[1].id == "reports:1");
  CHECK(specs[1].trigger->timezone_name == "Europe/Paris");
  CHECK(specs[1].trigger->catch_up == CatchUp::kAll);
}

TEST_CASE("the scaled test clock agrees across instances and converts delays", "[schedule]") {
  const double origin = std::chrono::duration<double>(Clock::now().time_since_epoch()).count() - 2;
  const double epoch = 1'772'935'200;  // 2026-03-08T02:00:00Z
  const ScheduleClock a = ScheduleClock::Scaled(epoch, origin, 60);
  const ScheduleClock b = ScheduleClock::Scaled(epoch, origin, 60);
  const auto skew = a.Now() - b.Now();
  CHECK(std::chrono::abs(skew) < std::chrono::seconds(1));
  // Two real seconds after the origin at 60x: two virtual minutes.
  const double virtual_seconds =
      std::chrono::duration<double>(a.Now().time_since_epoch()).count() - epoch;
  CHECK(virtual_seconds >= 120);
  CHECK(virtual_seconds < 150);
  const auto delay = a.RealDelayUntil(a.Now() + std::chrono::seconds(60));
  CHECK(delay > std::chrono::milliseconds(900));
  CHECK(delay <= std::chrono::milliseconds(1000));
  CHECK(a.RealDelayUntil(a.Now() - std::chrono::seconds(1)) == std::chrono::nanoseconds(0));
  CHECK_THROWS(ScheduleClock::Scaled(epoch, origin, 0));
  CHECK_FALSE(ScheduleClock().scaled());
}

}  // namespace sagaflow
