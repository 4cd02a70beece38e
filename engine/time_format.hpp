// Timestamps as text: ISO-8601 UTC for JSON, and PostgreSQL's timestamptz
// output (with the session time zone set to UTC) for reading rows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/step.hpp"

namespace sagaflow {

// "2026-12-04T15:37:44.123Z"
std::string FormatIso(TimePoint time);
// Accepts "2026-12-04T15:37:44.123Z", "2026-12-04 15:37:44.123456+00" and
// offsets like +05:30; nullopt when it is none of these.
std::optional<TimePoint> ParseTimestamp(std::string_view text);
long long EpochMillis(TimePoint time);
TimePoint FromEpochMillis(long long ms);

}  // namespace sagaflow
