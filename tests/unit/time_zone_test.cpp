// Unit tests for engine/time_zone: the system zones (offsets at and around
// transitions, the POSIX footer far beyond the last transition, local-to-UTC
// with gaps and overlaps), POSIX TZ strings, hand-built TZif files loaded
// from an override root, and name validation.
#include "engine/time_zone.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace sagaflow {
namespace {

using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return sys_days(std::chrono::year(y) / mo / d) + std::chrono::hours(h) +
         std::chrono::minutes(mi) + std::chrono::seconds(s);
}

local_seconds wall(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return local_days(std::chrono::year(y) / mo / d) + std::chrono::hours(h) +
         std::chrono::minutes(mi) + std::chrono::seconds(s);
}

// "2026-03-08T07:00:00Z": readable in failure messages.
std::string iso(sys_seconds t) {
  const sys_days day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss<std::chrono::seconds> hms(t - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  return buf;
}

TimeZone load(std::string_view name) {
  TimeZoneResult r = TimeZone::load(name);
  INFO(name << ": " << (r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  return r.value();
}

long offset(const TimeZone& z, sys_seconds t) {
  return long(z.offset_at(t).count());
}

// ---------------------------------------------------------------------------
// A TZif writer for hand-built files.

struct TzType {
  int32_t utoff;
  uint8_t isdst;
  uint8_t desig;
};

struct TzifSpec {
  char version = '2';
  std::vector<int64_t> times;
  std::vector<uint8_t> indices;
  std::vector<TzType> types = {{0, 0, 0}};
  std::string chars = std::string("UTC\0", 4);
  std::string footer;
  uint32_t leapcnt = 0;
};

void put32(std::string& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out += char((v >> s) & 0xff);
}
void put64(std::string& out, uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out += char((v >> s) & 0xff);
}

void put_block(std::string& out, const TzifSpec& spec, int time_size) {
  out += "TZif";
  out += spec.version;
  out += std::string(15, '\0');
  put32(out, 0);  // isutcnt
  put32(out, 0);  // isstdcnt
  put32(out, spec.leapcnt);
  put32(out, uint32_t(spec.times.size()));
  put32(out, uint32_t(spec.types.size()));
  put32(out, uint32_t(spec.chars.size()));
  for (int64_t t : spec.times) {
    if (time_size == 8) {
      put64(out, uint64_t(t));
    } else {
      put32(out, uint32_t(int32_t(t)));
    }
  }
  for (uint8_t i : spec.indices) out += char(i);
  for (const TzType& t : spec.types) {
    put32(out, uint32_t(t.utoff));
    out += char(t.isdst);
    out += char(t.desig);
  }
  out += spec.chars;
  out += std::string(spec.leapcnt * (time_size + 4), '\0');
}

std::string tzif(const TzifSpec& spec) {
  std::string out;
  put_block(out, spec, 4);
  if (spec.version == '\0') return out;
  put_block(out, spec, 8);
  return out + "\n" + spec.footer + "\n";
}

// A private zoneinfo root, removed at the end of the test.
class TempRoot {
 public:
  TempRoot() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("sagaflow_tz_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& bytes) const {
    const std::filesystem::path p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }

 private:
  std::filesystem::path path_;
};

// A small "slim" zone: EST from 1970 on, US rules only in the footer.
TzifSpec slim_new_york() {
  TzifSpec s;
  s.times = {0};
  s.indices = {0};
  s.types = {{-18000, 0, 0}};
  s.chars = std::string("EST\0", 4);
  s.footer = "EST5EDT,M3.2.0,M11.1.0";
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("UTC zone", "[time_zone]") {
  const TimeZone z = TimeZone::utc();
  CHECK(z.name() == "UTC");
  CHECK(offset(z, utc(2026, 3, 8, 7)) == 0);
  CHECK(TimeZone().name() == "UTC");
  CHECK(offset(TimeZone(), utc(1900, 1, 1)) == 0);
  const LocalTimeConversion c = z.to_utc(wall(2026, 3, 8, 2, 30));
  REQUIRE(c.count == 1);
  CHECK(iso(c.utc[0]) == "2026-03-08T02:30:00Z");
  CHECK(z.to_local(utc(2026, 1, 1, 12)) == wall(2026, 1, 1, 12));
}

TEST_CASE("America/New_York offsets around the 2026 transitions", "[time_zone]") {
  const TimeZone z = load("America/New_York");
  CHECK(z.name() == "America/New_York");
  CHECK(offset(z, utc(2026, 1, 15, 12)) == -18000);
  CHECK(offset(z, utc(2026, 7, 1, 12)) == -14400);
  // Spring forward: 2026-03-08 02:00 EST = 07:00Z.
  CHECK(offset(z, utc(2026, 3, 8, 6, 59, 59)) == -18000);
  CHECK(offset(z, utc(2026, 3, 8, 7)) == -14400);
  // Fall back: 2026-11-01 02:00 EDT = 06:00Z.
  CHECK(offset(z, utc(2026, 11, 1, 5, 59, 59)) == -14400);
  CHECK(offset(z, utc(2026, 11, 1, 6)) == -18000);
  // Before the first transition (1883): local mean time, -4:56:02.
  CHECK(offset(z, utc(1800, 1, 1)) == -17762);
  CHECK(z.to_local(utc(2026, 7, 1, 16)) == wall(2026, 7, 1, 12));
}

TEST_CASE("America/New_York far beyond the last transition uses the footer", "[time_zone]") {
  const TimeZone z = load("America/New_York");
  // 2400: second Sunday of March is the 12th, first Sunday of November the 5th.
  CHECK(offset(z, utc(2400, 1, 15)) == -18000);
  CHECK(offset(z, utc(2400, 3, 12, 6, 59, 59)) == -18000);
  CHECK(offset(z, utc(2400, 3, 12, 7)) == -14400);
  CHECK(offset(z, utc(2400, 11, 5, 5, 59, 59)) == -14400);
  CHECK(offset(z, utc(2400, 11, 5, 6)) == -18000);

  const LocalTimeConversion gap = z.to_utc(wall(2400, 3, 12, 2, 30));
  CHECK(gap.count == 0);
  CHECK(iso(gap.transition) == "2400-03-12T07:00:00Z");
  const LocalTimeConversion overlap = z.to_utc(wall(2400, 11, 5, 1, 30));
  REQUIRE(overlap.count == 2);
  CHECK(iso(overlap.utc[0]) == "2400-11-05T05:30:00Z");
  CHECK(iso(overlap.utc[1]) == "2400-11-05T06:30:00Z");
}

TEST_CASE("America/New_York local to UTC: gap, overlap, ordinary", "[time_zone]") {
  const TimeZone z = load("America/New_York");
  struct Row {
    local_seconds local;
    int count;
    const char* first;
    const char* second;
    const char* transition;
  };
  const Row rows[] = {
      {wall(2026, 3, 8, 1, 59), 1, "2026-03-08T06:59:00Z", "", ""},
      {wall(2026, 3, 8, 2, 0), 0, "", "", "2026-03-08T07:00:00Z"},
      {wall(2026, 3, 8, 2, 30), 0, "", "", "2026-03-08T07:00:00Z"},
      {wall(2026, 3, 8, 2, 59, 59), 0, "", "", "2026-03-08T07:00:00Z"},
      {wall(2026, 3, 8, 3, 0), 1, "2026-03-08T07:00:00Z", "", ""},
      {wall(2026, 11, 1, 0, 59), 1, "2026-11-01T04:59:00Z", "", ""},
      {wall(2026, 11, 1, 1, 0), 2, "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z",
       "2026-11-01T06:00:00Z"},
      {wall(2026, 11, 1, 1, 30), 2, "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z",
       "2026-11-01T06:00:00Z"},
      {wall(2026, 11, 1, 2, 0), 1, "2026-11-01T07:00:00Z", "", ""},
  };
  for (const Row& row : rows) {
    const LocalTimeConversion c = z.to_utc(row.local);
    INFO("local seconds " << row.local.time_since_epoch().count());
    REQUIRE(c.count == row.count);
    if (c.count >= 1) CHECK(iso(c.utc[0]) == row.first);
    if (c.count == 2) CHECK(iso(c.utc[1]) == row.second);
    if (c.count != 1) CHECK(iso(c.transition) == row.transition);
  }
}

TEST_CASE("Europe/London", "[time_zone]") {
  const TimeZone z = load("Europe/London");
  CHECK(offset(z, utc(2026, 3, 29, 0, 59, 59)) == 0);
  CHECK(offset(z, utc(2026, 3, 29, 1)) == 3600);
  CHECK(offset(z, utc(2026, 10, 25, 0, 59, 59)) == 3600);
  CHECK(offset(z, utc(2026, 10, 25, 1)) == 0);
  // British Standard Time experiment: +1 all year from 1968 to 1971.
  CHECK(offset(z, utc(1970, 1, 1)) == 3600);
  const LocalTimeConversion gap = z.to_utc(wall(2026, 3, 29, 1, 30));
  CHECK(gap.count == 0);
  CHECK(iso(gap.transition) == "2026-03-29T01:00:00Z");
}

TEST_CASE("Australia/Lord_Howe: 30-minute DST", "[time_zone]") {
  const TimeZone z = load("Australia/Lord_Howe");
  CHECK(offset(z, utc(2026, 1, 1)) == 39600);  // +11:00
  CHECK(offset(z, utc(2026, 7, 1)) == 37800);  // +10:30
  // DST ends 2026-04-05 02:00 +11 = 2026-04-04T15:00Z; starts 2026-10-04
  // 02:00 +10:30 = 2026-10-03T15:30Z.
  CHECK(offset(z, utc(2026, 4, 4, 14, 59, 59)) == 39600);
  CHECK(offset(z, utc(2026, 4, 4, 15)) == 37800);
  CHECK(offset(z, utc(2026, 10, 3, 15, 29, 59)) == 37800);
  CHECK(offset(z, utc(2026, 10, 3, 15, 30)) == 39600);

  const LocalTimeConversion gap = z.to_utc(wall(2026, 10, 4, 2, 15));
  CHECK(gap.count == 0);
  CHECK(iso(gap.transition) == "2026-10-03T15:30:00Z");
  const LocalTimeConversion overlap = z.to_utc(wall(2026, 4, 5, 1, 45));
  REQUIRE(overlap.count == 2);
  CHECK(iso(overlap.utc[0]) == "2026-04-04T14:45:00Z");
  CHECK(iso(overlap.utc[1]) == "2026-04-04T15:15:00Z");
  CHECK(iso(overlap.transition) == "2026-04-04T15:00:00Z");
  // Just outside the half-hour overlap.
  CHECK(z.to_utc(wall(2026, 4, 5, 2, 0)).count == 1);
  CHECK(z.to_utc(wall(2026, 4, 5, 1, 29)).count == 1);
  // Far beyond the last transition.
  CHECK(offset(z, utc(2200, 1, 1)) == 39600);
  CHECK(offset(z, utc(2200, 7, 1)) == 37800);
}

TEST_CASE("Asia/Kolkata: +05:30, no DST", "[time_zone]") {
  const TimeZone z = load("Asia/Kolkata");
  CHECK(offset(z, utc(2026, 6, 1)) == 19800);
  CHECK(offset(z, utc(2200, 6, 1)) == 19800);
  const LocalTimeConversion c = z.to_utc(wall(2026, 6, 1, 12));
  REQUIRE(c.count == 1);
  CHECK(iso(c.utc[0]) == "2026-06-01T06:30:00Z");
}

TEST_CASE("POSIX TZ strings", "[time_zone]") {
  struct Row {
    const char* tz;
    sys_seconds at;
    long offset;
  };
  const Row rows[] = {
      {"EST5EDT,M3.2.0,M11.1.0", utc(2026, 3, 8, 6, 59, 59), -18000},
      {"EST5EDT,M3.2.0,M11.1.0", utc(2026, 3, 8, 7), -14400},
      {"EST5EDT,M3.2.0,M11.1.0", utc(2026, 11, 1, 6), -18000},
      // No rule: the US rule is assumed.
      {"EST5EDT", utc(2026, 7, 1), -14400},
      {"EST5EDT", utc(2026, 1, 1), -18000},
      // Explicit DST offset; "M.5" is the last week.
      {"GMT0BST-1,M3.5.0/1,M10.5.0", utc(2026, 3, 29, 1), 3600},
      {"GMT0BST-1,M3.5.0/1,M10.5.0", utc(2026, 3, 29, 0, 59, 59), 0},
      // Southern hemisphere: DST across the new year.
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2026, 1, 1), 39600},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2026, 4, 4, 15, 59, 59), 39600},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2026, 4, 4, 16), 36000},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2026, 10, 3, 16), 39600},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2026, 12, 31, 23), 39600},
      // Dublin: "daylight saving" is the winter time, with a smaller offset.
      {"IST-1GMT0,M10.5.0,M3.5.0/1", utc(2026, 1, 15), 0},
      {"IST-1GMT0,M10.5.0,M3.5.0/1", utc(2026, 7, 1), 3600},
      {"IST-1GMT0,M10.5.0,M3.5.0/1", utc(2026, 10, 25, 1), 0},
      {"IST-1GMT0,M10.5.0,M3.5.0/1", utc(2026, 10, 25, 0, 59, 59), 3600},
      // Quoted names, minutes.
      {"<+0530>-5:30", utc(2026, 6, 1), 19800},
      {"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", utc(2026, 7, 1), 37800},
      // TZif v3: a negative rule time (23:00 the day before).
      {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", utc(2026, 3, 29, 0, 59, 59), -7200},
      {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", utc(2026, 3, 29, 1), -3600},
      {"<-02>2<-01>,M3.5.0/-1,M10.5.0/0", utc(2026, 10, 25, 1), -7200},
      // Jn never counts February 29; n does. 2028 is a leap year.
      {"AAA0BBB,J60,J300", utc(2028, 2, 29, 12), 0},
      {"AAA0BBB,J60,J300", utc(2028, 3, 1, 12), 3600},
      {"AAA0BBB,59,300", utc(2028, 2, 29, 12), 3600},
      {"AAA0BBB,59,300", utc(2027, 2, 28, 12), 0},
      {"AAA0BBB,59,300", utc(2027, 3, 1, 12), 3600},
      // TZif v3: DST all year.
      {"<-03>3<-02>,0/0,J365/25", utc(2026, 1, 1), -7200},
      {"<-03>3<-02>,0/0,J365/25", utc(2026, 6, 1), -7200},
      {"<-03>3<-02>,0/0,J365/25", utc(2026, 12, 31, 23, 59), -7200},
  };
  for (const Row& row : rows) {
    INFO(row.tz << " at " << iso(row.at));
    TimeZoneResult r = TimeZone::from_posix("Test", row.tz);
    REQUIRE(r.ok());
    CHECK(offset(r.value(), row.at) == row.offset);
  }

  const TimeZone all_year = TimeZone::from_posix("Test", "<-03>3<-02>,0/0,J365/25").value();
  CHECK(all_year.to_utc(wall(2027, 1, 1)).count == 1);
  CHECK(all_year.to_utc(wall(2026, 12, 31, 23, 30)).count == 1);
}

TEST_CASE("POSIX TZ string errors", "[time_zone]") {
  const char* bad[] = {
      "EST",                          // no offset
      "E5",                           // name too short
      "EST25",                        // hours out of range
      "EST5EDT,M13.1.0,M11.1.0",      // month 13
      "EST5EDT,M3.6.0,M11.1.0",       // week 6
      "EST5EDT,M3.2.7,M11.1.0",       // weekday 7
      "EST5EDT,M3.2.0",               // no end
      "EST5EDT,M3.2.0,M11.1.0,junk",  // trailing text
      "EST5EDT,J0,J300",              // J counts from 1
      "<+05>-5<",                     // unterminated quote
      "",                             //
  };
  for (const char* tz : bad) {
    INFO("'" << tz << "'");
    TimeZoneResult r = TimeZone::from_posix("Test", tz);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "time zone 'Test': invalid TZ string '" + std::string(tz) + "'");
  }
}

TEST_CASE("hand-built TZif files from an override root", "[time_zone]") {
  TempRoot root;

  SECTION("slim v2 file: the footer supplies every transition after 1970") {
    root.write("Test/Slim", tzif(slim_new_york()));
    TimeZoneResult r = TimeZone::load("Test/Slim", root.path());
    REQUIRE(r.ok());
    const TimeZone& z = r.value();
    CHECK(offset(z, utc(1969, 12, 31)) == -18000);
    CHECK(offset(z, utc(2026, 3, 8, 6, 59, 59)) == -18000);
    CHECK(offset(z, utc(2026, 3, 8, 7)) == -14400);
    CHECK(offset(z, utc(2026, 11, 1, 6)) == -18000);
    const LocalTimeConversion gap = z.to_utc(wall(2026, 3, 8, 2, 30));
    CHECK(gap.count == 0);
    CHECK(iso(gap.transition) == "2026-03-08T07:00:00Z");
    CHECK(z.to_utc(wall(2026, 11, 1, 1, 30)).count == 2);
  }

  SECTION("v1 file: 32-bit times, no footer, the last type holds forever") {
    TzifSpec s;
    s.version = '\0';
    s.times = {1'000'000'000, 1'100'000'000};
    s.indices = {1, 0};
    s.types = {{3600, 0, 0}, {7200, 1, 4}};
    s.chars = std::string("AAA\0BBB\0", 8);
    root.write("Test/V1", tzif(s));
    TimeZoneResult r = TimeZone::load("Test/V1", root.path());
    REQUIRE(r.ok());
    const TimeZone& z = r.value();
    const auto at = [](int64_t t) { return sys_seconds(std::chrono::seconds(t)); };
    CHECK(offset(z, at(0)) == 3600);
    CHECK(offset(z, at(999'999'999)) == 3600);
    CHECK(offset(z, at(1'000'000'000)) == 7200);
    CHECK(offset(z, at(1'099'999'999)) == 7200);
    CHECK(offset(z, at(1'100'000'000)) == 3600);
    CHECK(offset(z, at(4'000'000'000)) == 3600);
  }

  SECTION("v2 file with a 64-bit time before 1901") {
    TzifSpec s = slim_new_york();
    s.times = {-3'000'000'000, 0};  // 1874
    s.indices = {1, 0};
    s.types = {{-18000, 0, 0}, {-17762, 0, 4}};
    s.chars = std::string("EST\0LMT\0", 8);
    root.write("Test/Wide", tzif(s));
    TimeZoneResult r = TimeZone::load("Test/Wide", root.path());
    REQUIRE(r.ok());
    CHECK(offset(r.value(), sys_seconds(std::chrono::seconds(-3'000'000'001))) == -18000);
    CHECK(offset(r.value(), sys_seconds(std::chrono::seconds(-3'000'000'000))) == -17762);
    CHECK(offset(r.value(), utc(2026, 7, 1)) == -14400);
  }

  SECTION("v3 file without transitions, DST all year from the footer") {
    TzifSpec s;
    s.version = '3';
    s.types = {{-7200, 1, 0}};
    s.chars = std::string("-02\0", 4);
    s.footer = "<-03>3<-02>,0/0,J365/25";
    root.write("Test/V3", tzif(s));
    TimeZoneResult r = TimeZone::load("Test/V3", root.path());
    REQUIRE(r.ok());
    CHECK(offset(r.value(), utc(2100, 1, 1)) == -7200);
    CHECK(offset(r.value(), utc(2100, 7, 1)) == -7200);
  }

  SECTION("UTC falls back to the built-in zone when the root has no file") {
    TimeZoneResult r = TimeZone::load("UTC", root.path());
    REQUIRE(r.ok());
    CHECK(offset(r.value(), utc(2026, 7, 1)) == 0);
    CHECK(TimeZone::load("Etc/UTC", root.path()).ok());
    CHECK_FALSE(TimeZone::load("Etc/GMT", root.path()).ok());
  }

  SECTION("broken files") {
    struct Row {
      const char* name;
      std::string bytes;
      std::string message;
    };
    const std::string good = tzif(slim_new_york());
    TzifSpec leap = slim_new_york();
    leap.leapcnt = 1;
    TzifSpec bad_footer = slim_new_york();
    bad_footer.footer = "EST5EDT,M13.2.0,M11.1.0";
    TzifSpec bad_index = slim_new_york();
    bad_index.indices = {3};
    TzifSpec descending = slim_new_york();
    descending.times = {10, 5};
    descending.indices = {0, 0};
    TzifSpec bad_offset = slim_new_york();
    bad_offset.types = {{100'000, 0, 0}};
    TzifSpec bad_desig = slim_new_york();
    bad_desig.types = {{-18000, 0, 9}};
    TzifSpec no_types = slim_new_york();
    no_types.types.clear();
    no_types.times.clear();
    no_types.indices.clear();
    const std::string prefix = "time zone 'Test/Bad': invalid TZif data: ";
    const Row rows[] = {
        {"short header", good.substr(0, 30), prefix + "truncated header"},
        {"short data", good.substr(0, 44 + 4 + 1 + 6 + 4 + 44 + 3), prefix + "truncated data"},
        {"no footer", good.substr(0, good.size() - 1), prefix + "missing footer"},
        {"bad version", "TZif1" + good.substr(5), prefix + "unsupported version"},
        {"leap seconds", tzif(leap), prefix + "leap-second time zones are not supported"},
        {"bad footer", tzif(bad_footer),
         prefix + "invalid TZ string 'EST5EDT,M13.2.0,M11.1.0' in footer"},
        {"bad index", tzif(bad_index), prefix + "transition type index out of range"},
        {"descending", tzif(descending), prefix + "transition times not ascending"},
        {"bad offset", tzif(bad_offset), prefix + "UT offset out of range"},
        {"bad designation", tzif(bad_desig), prefix + "designation index out of range"},
        {"no types", tzif(no_types), prefix + "no local time types"},
        {"not TZif", "# tzdb zone table\n", "unknown time zone 'Test/Bad'"},
        {"empty file", "", "unknown time zone 'Test/Bad'"},
    };
    for (const Row& row : rows) {
      INFO(row.name);
      root.write("Test/Bad", row.bytes);
      TimeZoneResult r = TimeZone::load("Test/Bad", root.path());
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message == row.message);
    }
  }
}

TEST_CASE("time zone names are validated", "[time_zone]") {
  struct Row {
    std::string name;
    std::string message;
  };
  const Row rows[] = {
      {"Europe/Lndon", "unknown time zone 'Europe/Lndon'"},
      {"America", "unknown time zone 'America'"},  // a directory
      {"Mars/Olympus_Mons", "unknown time zone 'Mars/Olympus_Mons'"},
      {"", "time zone name is empty"},
      {"../etc/passwd", "invalid time zone name '../etc/passwd': '.' and '..' are not allowed"},
      {"America/../../etc/passwd",
       "invalid time zone name 'America/../../etc/passwd': '.' and '..' are not allowed"},
      {"./UTC", "invalid time zone name './UTC': '.' and '..' are not allowed"},
      {"/etc/localtime",
       "invalid time zone name '/etc/localtime': must be relative, like 'Europe/London'"},
      {"America//New_York", "invalid time zone name 'America//New_York': empty path component"},
      {"America/New_York/", "invalid time zone name 'America/New_York/': empty path component"},
      {"Europe/London ", "invalid time zone name 'Europe/London ': unexpected character ' '"},
      {"Europe\\London", "invalid time zone name 'Europe\\London': unexpected character '\\'"},
      {"UTC\n", "invalid time zone name 'UTC\n': unexpected character '\\x0a'"},
      {std::string(300, 'A'), "invalid time zone name '" + std::string(300, 'A') + "': too long"},
  };
  for (const Row& row : rows) {
    INFO("'" << row.name << "'");
    TimeZoneResult r = TimeZone::load(row.name);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == row.message);
  }
  // Names with '+', '-', '_' and digits are fine.
  CHECK(TimeZone::load("Etc/GMT+5").ok());
  CHECK(offset(TimeZone::load("Etc/GMT+5").value(), utc(2026, 1, 1)) == -18000);
  CHECK(TimeZone::load("America/Port-au-Prince").ok());
}

TEST_CASE("zones are values: copies share the same data", "[time_zone]") {
  const TimeZone a = load("Europe/London");
  TimeZone b = TimeZone::utc();
  CHECK(offset(b, utc(2026, 7, 1)) == 0);
  b = a;
  CHECK(b.name() == "Europe/London");
  CHECK(offset(b, utc(2026, 7, 1)) == 3600);
}

}  // namespace sagaflow
