// IANA time zones for schedule triggers, read from the system's TZif files
// (default root /usr/share/zoneinfo), because libstdc++ 12 has no
// std::chrono::zoned_time. Handles TZif v1, v2 and v3 (the 64-bit section of
// v2+) and the POSIX TZ footer that governs times after the last transition
// (modern "slim" files hold few transitions). Leap-second ("right/") files are
// refused. Times are POSIX seconds (instants beyond +-31 million years are
// clamped); offsets are seconds east of UTC.
//
// Thread-safety: a TimeZone is immutable once built; copies share the parsed
// data, so one zone may be used from any number of threads. load() reads the
// file each time it is called; callers cache zones if they need to.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace sagaflow {

class TimeZoneResult;

// Why a zone could not be loaded, e.g. "unknown time zone 'Europe/Lndon'".
struct TimeZoneError {
  std::string message;
};

// What a local wall-clock time corresponds to in UTC.
//   count == 1: an ordinary time; utc[0] is the instant.
//   count == 0: skipped by a gap (spring forward); `transition` is the instant
//               the clocks jumped, i.e. the first valid instant after the gap.
//   count == 2: repeated by an overlap (fall back); utc[0] < utc[1] are the
//               two instants, `transition` the instant the clocks went back.
// (A pathological zone with three or more readings keeps the first two.)
struct LocalTimeConversion {
  int count = 0;
  std::array<std::chrono::sys_seconds, 2> utc{};
  std::chrono::sys_seconds transition{};
};

class TimeZone {
 public:
  static constexpr std::string_view kDefaultRoot = "/usr/share/zoneinfo";

  // UTC; a default-constructed zone is UTC as well.
  TimeZone();
  static TimeZone utc();

  // Loads `name` (e.g. "America/New_York") from `root`. The name must be
  // relative, without "." or ".." components and made of [A-Za-z0-9_+-./].
  // "UTC" and "Etc/UTC" fall back to utc() when the file is missing.
  static TimeZoneResult load(std::string_view name,
                             const std::filesystem::path& root = kDefaultRoot);
  // Parses TZif bytes; `name` is used for name() and messages.
  static TimeZoneResult from_tzif(std::string_view name, std::string_view bytes);
  // Builds a zone from a POSIX TZ rule such as "EST5EDT,M3.2.0,M11.1.0" or
  // "<+0530>-5:30"; the rule applies at all times.
  static TimeZoneResult from_posix(std::string_view name, std::string_view tz);

  const std::string& name() const;

  // Offset from UTC in effect at `t`, in seconds east of UTC.
  std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;
  // Wall-clock time at `t`.
  std::chrono::local_seconds to_local(std::chrono::sys_seconds t) const;
  // The UTC instants whose wall-clock time is `local`; see LocalTimeConversion.
  LocalTimeConversion to_utc(std::chrono::local_seconds local) const;

  struct Data;  // parsed zone, defined in time_zone.cpp

 private:
  explicit TimeZone(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

// A TimeZone or the reason it could not be built.
class [[nodiscard]] TimeZoneResult {
 public:
  TimeZoneResult(TimeZone zone) : v_(std::move(zone)) {}
  TimeZoneResult(TimeZoneError error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  // Precondition: ok().
  const TimeZone& value() const { return std::get<0>(v_); }
  // Precondition: !ok().
  const TimeZoneError& error() const { return std::get<1>(v_); }

 private:
  std::variant<TimeZone, TimeZoneError> v_;
};

}  // namespace sagaflow
