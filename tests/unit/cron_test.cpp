// Unit tests for engine/cron: valid and invalid lines (exact message and
// column), next fire times in UTC and in zones with daylight saving time.
#include "engine/cron.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

namespace sagaflow {
namespace {

using Clock = std::chrono::system_clock;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

CronSchedule parse_ok(std::string_view line) {
  CronParseResult r = CronSchedule::parse(line);
  INFO("'" << line << "': " << (r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  return r.value();
}

TimeZone zone(std::string_view name) {
  if (name == "UTC") return TimeZone::utc();
  TimeZoneResult r = TimeZone::load(name);
  INFO(name);
  REQUIRE(r.ok());
  return r.value();
}

// "2026-03-08T07:00:00Z" (seconds and a fraction allowed) -> time point.
Clock::time_point at(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  const int n = std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &y, &mo, &d, &h, &mi, &s, &ms);
  REQUIRE(n >= 6);
  const sys_seconds t = sys_days(std::chrono::year(y) / unsigned(mo) / unsigned(d)) +
                        std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s);
  return Clock::time_point(t) + std::chrono::milliseconds(ms);
}

// "2026-03-08T03:00-04:00": the wall time in `z` and the offset, which
// together pin down the instant; "none" when there is no fire time.
std::string wall(std::optional<Clock::time_point> t, const TimeZone& z) {
  if (!t) return "none";
  const sys_seconds s = std::chrono::floor<std::chrono::seconds>(*t);
  const long off = long(z.offset_at(s).count());
  const sys_seconds l = s + std::chrono::seconds(off);
  const sys_days day = std::chrono::floor<std::chrono::days>(l);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss<std::chrono::seconds> hms(l - day);
  char buf[80];
  if (hms.seconds().count() != 0) return "not on a minute";
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld%c%02ld:%02ld", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), off < 0 ? '-' : '+', labs(off) / 3600,
                labs(off) % 3600 / 60);
  return buf;
}

struct FireRow {
  const char* line;
  const char* after;
  const char* expected;
};

void check_fires(const char* zone_name, const std::vector<FireRow>& rows) {
  const TimeZone z = zone(zone_name);
  for (const FireRow& row : rows) {
    INFO("'" << row.line << "' after " << row.after << " in " << zone_name);
    const CronSchedule s = parse_ok(row.line);
    CHECK(wall(s.next_after(at(row.after), z), z) == row.expected);
  }
}

}  // namespace

TEST_CASE("valid cron lines and their normalised form", "[cron]") {
  struct Row {
    const char* line;
    const char* normalised;
  };
  const Row rows[] = {
      {"* * * * *", "* * * * *"},
      {"0 0 * * *", "0 0 * * *"},
      {"*/15 * * * *", "0,15,30,45 * * * *"},
      {"5/20 * * * *", "5,25,45 * * * *"},
      {"10-30/10 * * * *", "10,20,30 * * * *"},
      {"0,30 * * * *", "0,30 * * * *"},
      {"00 07 * * *", "0 7 * * *"},
      {"0 9-17 * * MON-FRI", "0 9-17 * * 1-5"},
      {"0 0 1,15 * *", "0 0 1,15 * *"},
      {"30 2 * JAN,feb,Mar *", "30 2 * 1-3 *"},
      {"0 0 * feb-apr/2 *", "0 0 * 2,4 *"},
      {"0 0 * * 7", "0 0 * * 0"},
      {"0 0 * * 5-7", "0 0 * * 0,5,6"},
      {"0 0 * * sun,SAT", "0 0 * * 0,6"},
      {"0 0 * * 0-7", "0 0 * * 0-6"},
      {"0 12 * * 1/2", "0 12 * * 1,3,5"},
      {"* * * * */2", "* * * * */2"},
      {"0 0 */2 * *", "0 0 */2 * *"},
      {"0 0 */10,5 * 1", "0 0 */10,5 * 1"},
      {"0 0 1-31 * 1", "0 0 1-31 * 1"},
      {"59 23 31 12 6", "59 23 31 12 6"},
      {"0-59/30 0-23/6 1-31/10 1-12/3 0-6/3", "0,30 0,6,12,18 1,11,21,31 1,4,7,10 0,3,6"},
      {"  0 0 * * *  ", "0 0 * * *"},
      {"0\t0\t*\t*\t*", "0 0 * * *"},
      {"@yearly", "0 0 1 1 *"},
      {"@annually", "0 0 1 1 *"},
      {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},
      {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},
      {"@DAILY", "0 0 * * *"},
      {" @hourly ", "0 * * * *"},
  };
  for (const Row& row : rows) {
    INFO("'" << row.line << "'");
    const CronSchedule s = parse_ok(row.line);
    CHECK(s.describe() == row.normalised);
    // The normalised form means the same thing.
    CHECK(parse_ok(s.describe()).describe() == row.normalised);
  }
  CHECK(parse_ok("  0 0 * * *  ").text() == "0 0 * * *");
  CHECK(parse_ok(" @hourly ").text() == "@hourly");
}

TEST_CASE("invalid cron lines: exact message and column", "[cron]") {
  struct Row {
    std::string line;
    std::string message;
    size_t column;
  };
  const std::string macros =
      "(expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)";
  const Row rows[] = {
      {"", "expected 5 fields, got 0", 0},
      {"   ", "expected 5 fields, got 0", 0},
      {"* * * *", "expected 5 fields, got 4", 7},
      {"0 0 * *  ", "expected 5 fields, got 4", 7},
      {"* * * * * *", "expected 5 fields, got 6", 10},
      {"0 0 * * * extra more", "expected 5 fields, got 7", 10},
      {"61 * * * *", "minute field: value 61 out of range 0-59", 0},
      {"  61 * * * *", "minute field: value 61 out of range 0-59", 2},
      {"0,15,60 * * * *", "minute field: value 60 out of range 0-59", 5},
      {"99999999999999999999 * * * *", "minute field: value 99999999999999999999 out of range 0-59",
       0},
      {"0 24 * * *", "hour field: value 24 out of range 0-23", 2},
      {"0 0 0 * *", "day-of-month field: value 0 out of range 1-31", 4},
      {"0 0 32 * *", "day-of-month field: value 32 out of range 1-31", 4},
      {"0 0 * 13 *", "month field: value 13 out of range 1-12", 6},
      {"0 0 * 0 *", "month field: value 0 out of range 1-12", 6},
      {"0 0 * * 8", "day-of-week field: value 8 out of range 0-7", 8},
      {"0 0 * * 1-9", "day-of-week field: value 9 out of range 0-7", 10},
      {"*/0 * * * *", "minute field: step 0 out of range 1-59", 2},
      {"*/60 * * * *", "minute field: step 60 out of range 1-59", 2},
      {"0 0-23/0 * * *", "hour field: step 0 out of range 1-23", 7},
      {"0 0 * */13 *", "month field: step 13 out of range 1-12", 8},
      {"0 0 * * 1/0", "day-of-week field: step 0 out of range 1-7", 10},
      {"*/ * * * *", "minute field: expected a number after '/'", 2},
      {"0 0 * * */MON", "day-of-week field: expected a number after '/'", 10},
      {"30-10 * * * *", "minute field: range start 30 is greater than end 10", 0},
      {"0 0 * * FRI-MON", "day-of-week field: range start FRI is greater than end MON", 8},
      {"0 0 * DEC-jan *", "month field: range start DEC is greater than end jan", 6},
      {"0 0 * JNU *", "month field: unknown name 'JNU' (expected JAN-DEC)", 6},
      {"0 0 * jan-foo *", "month field: unknown name 'foo' (expected JAN-DEC)", 10},
      {"0 0 * * Monday", "day-of-week field: unknown name 'Monday' (expected SUN-SAT)", 8},
      {"MON * * * *", "minute field: expected a number, got 'MON'", 0},
      {"0 0 L * *", "day-of-month field: expected a number, got 'L'", 4},
      {"0 0 1-JAN * *", "day-of-month field: expected a number, got 'JAN'", 6},
      {"1,,2 * * * *", "minute field: empty list element", 2},
      {"1, * * * *", "minute field: empty list element", 2},
      {",1 * * * *", "minute field: empty list element", 0},
      {"1- * * * *", "minute field: expected a value after '-'", 2},
      {"1-/5 * * * *", "minute field: expected a value after '-'", 2},
      {"5x * * * *", "minute field: unexpected character 'x'", 1},
      {"*-5 * * * *", "minute field: unexpected character '-'", 1},
      {"-5 * * * *", "minute field: unexpected character '-'", 0},
      {"1-2-3 * * * *", "minute field: unexpected character '-'", 3},
      {"*/5/2 * * * *", "minute field: unexpected character '/'", 3},
      {"? * * * *", "minute field: unexpected character '?'", 0},
      {"0 0 ? * *", "day-of-month field: unexpected character '?'", 4},
      {"0 0 * * 5L", "day-of-week field: unexpected character 'L'", 9},
      {"0 0 31 2 MON#2", "day-of-week field: unexpected character '#'", 12},
      {std::string("0 0 * * 1\x01", 10), "day-of-week field: unexpected character '\\x01'", 9},
      {"@reboot", "unknown macro '@reboot' " + macros, 0},
      {"  @every 5m", "unknown macro '@every' " + macros, 2},
      {"@", "unknown macro '@' " + macros, 0},
      {"@daily 5", "unexpected text after '@daily'", 7},
      {"0 0 @daily * *", "day-of-month field: unexpected character '@'", 4},
  };
  for (const Row& row : rows) {
    INFO("'" << row.line << "'");
    CronParseResult r = CronSchedule::parse(row.line);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == row.message);
    CHECK(r.error().column == row.column);
  }
}

TEST_CASE("matches: wall-clock minutes and the day-of-month/day-of-week rule", "[cron]") {
  using std::chrono::local_days;
  const auto lt = [](int y, unsigned mo, unsigned d, int h, int mi) {
    return local_days(std::chrono::year(y) / mo / d) + std::chrono::hours(h) +
           std::chrono::minutes(mi);
  };
  // 2026-01-13 is a Tuesday, 2026-01-16 a Friday.
  const CronSchedule either = parse_ok("0 0 13 * FRI");  // 13th OR Friday
  const CronSchedule both = parse_ok("0 0 */13 * FRI");  // (1st, 14th, 27th) AND Friday
  const CronSchedule fridays = parse_ok("0 0 * * FRI");  // Fridays only
  CHECK(either.matches(lt(2026, 1, 13, 0, 0)));
  CHECK(either.matches(lt(2026, 1, 16, 0, 0)));
  CHECK_FALSE(either.matches(lt(2026, 1, 14, 0, 0)));
  CHECK_FALSE(either.matches(lt(2026, 1, 13, 0, 1)));
  CHECK_FALSE(both.matches(lt(2026, 1, 14, 0, 0)));  // a Wednesday
  CHECK_FALSE(both.matches(lt(2026, 1, 16, 0, 0)));  // a Friday, not 1/14/27
  CHECK(both.matches(lt(2026, 2, 27, 0, 0)));        // Friday the 27th
  CHECK(fridays.matches(lt(2026, 1, 16, 0, 0)));
  CHECK_FALSE(fridays.matches(lt(2026, 1, 13, 0, 0)));
  CHECK(parse_ok("*/15 9-17 * JUN *").matches(lt(2026, 6, 1, 17, 45)));
  CHECK_FALSE(parse_ok("*/15 9-17 * JUN *").matches(lt(2026, 6, 1, 18, 0)));
  CHECK_FALSE(parse_ok("*/15 9-17 * JUN *").matches(lt(2026, 7, 1, 9, 0)));
}

TEST_CASE("next fire time in UTC", "[cron]") {
  check_fires("UTC", {
                         // Strictly after, to the minute.
                         {"* * * * *", "2026-01-01T00:00:00Z", "2026-01-01T00:01+00:00"},
                         {"* * * * *", "2026-01-01T00:00:30Z", "2026-01-01T00:01+00:00"},
                         {"*/30 * * * *", "2026-01-01T00:00:00.500Z", "2026-01-01T00:30+00:00"},
                         {"*/30 * * * *", "2025-12-31T23:59:59.999Z", "2026-01-01T00:00+00:00"},
                         {"0 * * * *", "2026-01-01T00:00:00Z", "2026-01-01T01:00+00:00"},
                         // Steps roll over hours, days, years.
                         {"*/15 * * * *", "2026-01-01T10:07:00Z", "2026-01-01T10:15+00:00"},
                         {"*/15 * * * *", "2026-01-01T23:50:00Z", "2026-01-02T00:00+00:00"},
                         {"5/20 * * * *", "2026-01-01T10:46:00Z", "2026-01-01T11:05+00:00"},
                         {"30 2 * * *", "2026-01-01T02:30:00Z", "2026-01-02T02:30+00:00"},
                         {"59 23 31 12 *", "2026-06-01T00:00:00Z", "2026-12-31T23:59+00:00"},
                         {"59 23 31 12 *", "2026-12-31T23:59:00Z", "2027-12-31T23:59+00:00"},
                         {"0 0 1 1 *", "2026-12-31T23:59:59Z", "2027-01-01T00:00+00:00"},
                         // Month ends.
                         {"0 0 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T00:00+00:00"},
                         {"0 0 31 * *", "2026-01-31T00:00:00Z", "2026-03-31T00:00+00:00"},
                         {"0 0 29 * *", "2027-02-01T00:00:00Z", "2027-03-29T00:00+00:00"},
                         {"0 0 30 * *", "2028-02-01T00:00:00Z", "2028-03-30T00:00+00:00"},
                         // Leap years, including 2100 which is not one.
                         {"0 0 29 2 *", "2026-01-01T00:00:00Z", "2028-02-29T00:00+00:00"},
                         {"0 0 29 2 *", "2028-02-29T00:00:00Z", "2032-02-29T00:00+00:00"},
                         {"0 0 29 2 *", "2099-01-01T00:00:00Z", "2104-02-29T00:00+00:00"},
                         {"0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00+00:00"},
                         // Never.
                         {"0 0 30 2 *", "2026-01-01T00:00:00Z", "none"},
                         {"0 0 31 4,6,9,11 *", "2026-01-01T00:00:00Z", "none"},
                         // Day-of-month OR day-of-week when both are restricted.
                         {"0 0 13 * 5", "2026-01-01T00:00:00Z", "2026-01-02T00:00+00:00"},
                         {"0 0 13 * 5", "2026-01-09T00:00:00Z", "2026-01-13T00:00+00:00"},
                         {"0 0 1 * MON", "2026-01-02T00:00:00Z", "2026-01-05T00:00+00:00"},
                         {"0 0 29 2 1", "2027-01-01T00:00:00Z", "2027-02-01T00:00+00:00"},
                         {"0 0 1-31 * 1", "2026-01-01T00:00:00Z", "2026-01-02T00:00+00:00"},
                         // ... AND when either starts with '*'.
                         {"0 0 */13 * 5", "2026-01-01T00:00:00Z", "2026-02-27T00:00+00:00"},
                         {"0 0 13 * */7", "2026-01-01T00:00:00Z", "2026-09-13T00:00+00:00"},
                         {"0 0 * * 5", "2026-01-02T00:00:00Z", "2026-01-09T00:00+00:00"},
                         // Names, 7 = Sunday, ranges of weekdays over a weekend.
                         {"0 9 * * MON-FRI", "2026-01-02T09:00:00Z", "2026-01-05T09:00+00:00"},
                         {"0 0 * * 7", "2026-01-01T00:00:00Z", "2026-01-04T00:00+00:00"},
                         {"0 0 * * sun", "2026-01-01T00:00:00Z", "2026-01-04T00:00+00:00"},
                         {"0 12 * JUN-AUG/2 *", "2026-07-01T00:00:00Z", "2026-08-01T12:00+00:00"},
                         {"0 12 1 jun-aug/2 *", "2026-08-01T12:00:00Z", "2027-06-01T12:00+00:00"},
                         // Macros.
                         {"@hourly", "2026-01-01T00:59:59Z", "2026-01-01T01:00+00:00"},
                         {"@daily", "2026-01-01T00:00:00Z", "2026-01-02T00:00+00:00"},
                         {"@weekly", "2026-01-04T00:00:00Z", "2026-01-11T00:00+00:00"},
                         {"@monthly", "2026-01-31T00:00:00Z", "2026-02-01T00:00+00:00"},
                         {"@yearly", "2026-01-01T00:00:00Z", "2027-01-01T00:00+00:00"},
                         {"@annually", "2025-12-31T23:59:00Z", "2026-01-01T00:00+00:00"},
                     });
}

TEST_CASE("next fire time: America/New_York spring forward 2026-03-08", "[cron][dst]") {
  check_fires("America/New_York",
              {
                  // 02:30 does not exist: fire when the clocks jump, at 03:00 EDT.
                  {"30 2 * * *", "2026-03-06T08:00:00Z", "2026-03-07T02:30-05:00"},
                  {"30 2 * * *", "2026-03-07T12:00:00Z", "2026-03-08T03:00-04:00"},
                  {"30 2 * * *", "2026-03-08T07:00:00Z", "2026-03-09T02:30-04:00"},
                  {"0 2 * * *", "2026-03-08T06:59:59Z", "2026-03-08T03:00-04:00"},
                  // Every minute of the gap collapses into one fire at 03:00.
                  {"*/15 * * * *", "2026-03-08T06:30:00Z", "2026-03-08T01:45-05:00"},
                  {"*/15 * * * *", "2026-03-08T06:45:00Z", "2026-03-08T03:00-04:00"},
                  {"*/15 * * * *", "2026-03-08T07:00:00Z", "2026-03-08T03:15-04:00"},
                  {"* * * * *", "2026-03-08T06:59:00Z", "2026-03-08T03:00-04:00"},
                  {"* * * * *", "2026-03-08T07:00:00Z", "2026-03-08T03:01-04:00"},
                  // Times around the gap are unaffected.
                  {"0 3 * * *", "2026-03-08T00:00:00Z", "2026-03-08T03:00-04:00"},
                  {"59 1 * * *", "2026-03-08T00:00:00Z", "2026-03-08T01:59-05:00"},
              });
}

TEST_CASE("next fire time: America/New_York fall back 2026-11-01", "[cron][dst]") {
  check_fires("America/New_York",
              {
                  // 01:30 happens twice: fire at the first, EDT.
                  {"30 1 * * *", "2026-11-01T04:00:00Z", "2026-11-01T01:30-04:00"},
                  {"30 1 * * *", "2026-11-01T05:30:00Z", "2026-11-02T01:30-05:00"},
                  {"30 1 * * *", "2026-11-01T06:00:00Z", "2026-11-02T01:30-05:00"},
                  // In the repeated hour only the first pass fires.
                  {"*/15 * * * *", "2026-11-01T05:40:00Z", "2026-11-01T01:45-04:00"},
                  {"*/15 * * * *", "2026-11-01T05:45:00Z", "2026-11-01T02:00-05:00"},
                  {"*/15 * * * *", "2026-11-01T06:20:00Z", "2026-11-01T02:00-05:00"},
                  {"0 * * * *", "2026-11-01T05:00:00Z", "2026-11-01T02:00-05:00"},
                  {"0 2 * * *", "2026-11-01T05:00:00Z", "2026-11-01T02:00-05:00"},
              });
}

TEST_CASE("next fire time: Europe/London, Asia/Kolkata, Australia/Lord_Howe", "[cron][dst]") {
  check_fires("Europe/London", {
                                   {"30 1 * * *", "2026-03-28T12:00:00Z", "2026-03-29T02:00+01:00"},
                                   {"30 1 * * *", "2026-10-24T12:00:00Z", "2026-10-25T01:30+01:00"},
                                   {"30 1 * * *", "2026-10-25T00:30:00Z", "2026-10-26T01:30+00:00"},
                                   {"0 9 * * *", "2026-07-01T00:00:00Z", "2026-07-01T09:00+01:00"},
                                   {"0 9 * * *", "2026-12-01T00:00:00Z", "2026-12-01T09:00+00:00"},
                               });
  check_fires("Asia/Kolkata", {
                                  {"0 9 * * *", "2026-01-01T00:00:00Z", "2026-01-01T09:00+05:30"},
                                  {"0 0 * * *", "2026-01-01T18:29:00Z", "2026-01-02T00:00+05:30"},
                                  {"0 0 * * *", "2026-01-01T18:30:00Z", "2026-01-03T00:00+05:30"},
                                  {"@hourly", "2026-01-01T00:00:00Z", "2026-01-01T06:00+05:30"},
                              });
  check_fires("Australia/Lord_Howe",
              {
                  // 02:00-02:30 is skipped on 2026-10-04 (+10:30 -> +11).
                  {"15 2 * * *", "2026-10-03T00:00:00Z", "2026-10-04T02:30+11:00"},
                  {"*/10 * * * *", "2026-10-03T15:25:00Z", "2026-10-04T02:30+11:00"},
                  {"*/10 * * * *", "2026-10-03T15:30:00Z", "2026-10-04T02:40+11:00"},
                  // 01:30-02:00 repeats on 2026-04-05 (+11 -> +10:30).
                  {"45 1 * * *", "2026-04-04T00:00:00Z", "2026-04-05T01:45+11:00"},
                  {"45 1 * * *", "2026-04-04T14:45:00Z", "2026-04-06T01:45+10:30"},
                  {"*/20 * * * *", "2026-04-04T14:50:00Z", "2026-04-05T02:00+10:30"},
              });
}

TEST_CASE("next fire time far beyond the last transition (POSIX footer)", "[cron][dst]") {
  // 2200: second Sunday of March is the 9th, first Sunday of November the 2nd.
  check_fires("America/New_York",
              {
                  {"30 2 * * *", "2200-03-08T12:00:00Z", "2200-03-09T03:00-04:00"},
                  {"30 2 * * *", "2200-03-09T07:00:00Z", "2200-03-10T02:30-04:00"},
                  {"30 1 * * *", "2200-11-01T12:00:00Z", "2200-11-02T01:30-04:00"},
                  {"30 1 * * *", "2200-11-02T05:30:00Z", "2200-11-03T01:30-05:00"},
                  {"*/20 * * * *", "2200-11-02T05:50:00Z", "2200-11-02T02:00-05:00"},
              });
  // A zone made of a POSIX rule only, as a slim TZif file would give.
  const TimeZone sydney = TimeZone::from_posix("Test", "AEST-10AEDT,M10.1.0,M4.1.0/3").value();
  const CronSchedule s = parse_ok("30 2 * * *");
  // 2026-10-04 02:00 AEST -> 03:00 AEDT.
  CHECK(wall(s.next_after(at("2026-10-03T00:00:00Z"), sydney), sydney) == "2026-10-04T03:00+11:00");
  // 2026-04-05 03:00 AEDT -> 02:00 AEST: 02:30 repeats, first one wins.
  CHECK(wall(s.next_after(at("2026-04-04T00:00:00Z"), sydney), sydney) == "2026-04-05T02:30+11:00");
}

TEST_CASE("next fire time: a sequence of fires has no duplicates and no gaps", "[cron][dst]") {
  // Walk a quarter-hourly schedule across both 2026 New York transitions and
  // count: 24h * 4 per ordinary day; the spring day loses the 02:xx hour (3
  // fires, 02:00 folds into 03:00); the fall day fires the repeated hour once.
  const TimeZone z = zone("America/New_York");
  const CronSchedule s = parse_ok("*/15 * * * *");
  const auto count_fires = [&](const char* from, const char* to) {
    Clock::time_point t = at(from);
    const Clock::time_point end = at(to);
    int n = 0;
    while (true) {
      const std::optional<Clock::time_point> next = s.next_after(t, z);
      REQUIRE(next);
      REQUIRE(*next > t);
      if (*next >= end) return n;
      t = *next;
      ++n;
    }
  };
  // Local midnight to midnight.
  CHECK(count_fires("2026-03-07T04:59:59Z", "2026-03-08T05:00:00Z") == 96);  // 03-07
  CHECK(count_fires("2026-03-08T04:59:59Z", "2026-03-09T04:00:00Z") == 92);  // 03-08
  CHECK(count_fires("2026-11-01T03:59:59Z", "2026-11-02T05:00:00Z") == 96);  // 11-01
}

TEST_CASE("next fire time near the end of system_clock's range", "[cron]") {
  const CronSchedule s = parse_ok("0 0 1 1 *");
  const Clock::time_point last = Clock::time_point::max();
  CHECK_FALSE(s.next_after(last, TimeZone::utc()).has_value());
  CHECK_FALSE(s.next_after(last - std::chrono::hours(24 * 50), TimeZone::utc()).has_value());
  CHECK(s.next_after(last - std::chrono::hours(24 * 800), TimeZone::utc()).has_value());
}

}  // namespace sagaflow
