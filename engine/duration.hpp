// Durations as workflow files write them: "250ms", "30s", "5m", "1h".
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sagaflow {

using Millis = std::chrono::milliseconds;

// Parses "<digits><unit>" with unit ms, s, m or h. Returns nullopt for
// anything else (no sign, no fractions, no spaces, no bare numbers).
std::optional<Millis> ParseDuration(std::string_view text);

// The inverse of ParseDuration, using the largest unit that divides exactly.
std::string FormatDuration(Millis duration);

}  // namespace sagaflow
