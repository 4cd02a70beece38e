// Cron lines of `schedule` triggers: parsing and "when does it fire next".
//
// Syntax: five whitespace-separated fields, minute (0-59), hour (0-23),
// day-of-month (1-31), month (1-12 or JAN-DEC), day-of-week (0-7 or SUN-SAT,
// 0 and 7 are Sunday). Each field is a comma list of `*`, `v`, `a-b`, `*/n`,
// `a-b/n` and `a/n` (= from a to the end of the field, Saturday for
// day-of-week, step n); a step runs from 1 to the field's largest value.
// Names are case-insensitive and allowed in ranges, not in steps. The macros
// @yearly (@annually), @monthly, @weekly, @daily (@midnight) and @hourly stand
// for their usual five fields. As in Vixie cron, when both day fields are
// restricted (neither starts with `*`), a day matches if EITHER matches;
// otherwise both must.
//
// Errors are values, never exceptions: a message and the 0-based column in the
// cron line where the problem is, e.g. "minute field: value 61 out of range
// 0-59" at the column of "61".
//
// Firing is evaluated in the wall-clock time of a TimeZone, to the minute:
//  - a wall time skipped by a spring-forward gap fires once, at the instant
//    the clocks jump (02:30 in New York on 2026-03-08 fires at 03:00 EDT);
//    several such times (e.g. */15 in the gap) fire once together;
//  - a wall time repeated by a fall-back overlap fires once, at its first
//    occurrence; in the repeated hour `*/15` fires only during the first pass.
//
// Thread-safety: a parsed CronSchedule is immutable; share it freely.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "engine/time_zone.hpp"

namespace sagaflow {

class CronParseResult;

// A problem in a cron line; `column` is 0-based into the line as given.
struct CronError {
  std::string message;
  std::size_t column = 0;
};

class CronSchedule {
 public:
  // next_after() gives up (nullopt) when nothing fires within this many years
  // after t: enough for every February 29, even across 2100.
  static constexpr int kSearchYears = 8;

  static CronParseResult parse(std::string_view line);

  // The first fire time strictly after `t`, or nullopt if there is none within
  // kSearchYears (e.g. "0 0 30 2 *") or it would not fit a time_point.
  std::optional<std::chrono::system_clock::time_point> next_after(
      std::chrono::system_clock::time_point t, const TimeZone& zone) const;

  // Whether the wall-clock minute `local` (seconds ignored) matches the fields.
  bool matches(std::chrono::local_seconds local) const;

  // The line as given, without surrounding whitespace.
  const std::string& text() const { return text_; }
  // Normalised five fields, e.g. "@weekly" -> "0 0 * * 0",
  // "*/20 9-17 * JAN,feb mon-fri" -> "0,20,40 9-17 * 1,2 1-5".
  std::string describe() const;

 private:
  friend class CronParser;
  CronSchedule() = default;

  bool day_matches(int year, unsigned month, unsigned day) const;
  // First matching wall-clock minute at or after `from`, up to `last_year`.
  std::optional<std::chrono::local_seconds> next_match(std::chrono::local_seconds from,
                                                       int last_year) const;

  std::string text_;
  std::uint64_t minutes_ = 0;   // bit m: minute m
  std::uint32_t hours_ = 0;     // bit h: hour h
  std::uint32_t days_ = 0;      // bit d: day-of-month d (1-31)
  std::uint16_t months_ = 0;    // bit m: month m (1-12)
  std::uint8_t weekdays_ = 0;   // bit d: weekday d (0 = Sunday - 6)
  bool days_star_ = false;      // day-of-month field starts with '*'
  bool weekdays_star_ = false;  // day-of-week field starts with '*'
};

// A CronSchedule or the error that stopped parsing.
class [[nodiscard]] CronParseResult {
 public:
  CronParseResult(CronSchedule schedule) : v_(std::move(schedule)) {}
  CronParseResult(CronError error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  // Precondition: ok().
  const CronSchedule& value() const { return std::get<0>(v_); }
  // Precondition: !ok().
  const CronError& error() const { return std::get<1>(v_); }

 private:
  std::variant<CronSchedule, CronError> v_;
};

}  // namespace sagaflow
