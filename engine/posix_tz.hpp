// Internal to engine/time_zone.cpp: POSIX TZ strings such as
// "EST5EDT,M3.2.0,M11.1.0" (the footer of a TZif file, with the RFC 8536 /
// TZif v3 extensions) and the calendar arithmetic their rules need.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sagaflow::tz_detail {

using std::int32_t;
using std::int64_t;

constexpr int64_t kSecondsPerDay = 86400;
// Instants are clamped to about +-31 million years so that the arithmetic
// below can never overflow.
constexpr int64_t kClamp = 1'000'000'000'000'000;
// Largest offset any zone may have (RFC 8536 bounds, a bit over 26 hours).
constexpr int64_t kMaxOffset = 93599;
constexpr int64_t kMinOffset = -89999;

inline int64_t clamp_seconds(int64_t t) {
  return std::clamp(t, -kClamp, kClamp);
}

struct PosixDate {
  enum class Kind { kJulian1, kJulian0, kMonthWeekDay };  // Jn, n, Mm.w.d
  Kind kind = Kind::kMonthWeekDay;
  int month = 0, week = 0, weekday = 0, day = 0;
  int32_t time = 2 * 3600;  // local time of day, may be negative or > 24h
};

struct PosixTz {
  int32_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  int32_t dst_offset = 0;
  PosixDate start, end;
};

std::optional<PosixTz> ParsePosixTz(std::string_view text);
// The offset (seconds east of UTC) in effect at instant t.
int32_t PosixOffsetAt(const PosixTz& tz, int64_t t);
// The first instant after t at which the offset changes.
std::optional<int64_t> PosixNextTransition(const PosixTz& tz, int64_t t);

}  // namespace sagaflow::tz_detail
