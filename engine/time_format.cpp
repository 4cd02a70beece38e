#include "engine/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace sagaflow {

std::string FormatIso(TimePoint time) {
  const long long ms = EpochMillis(time);
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                ((ms % 1000) + 1000) % 1000);
  return buffer;
}

std::optional<TimePoint> ParseTimestamp(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  size_t pos = static_cast<size_t>(consumed);
  long long micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    long long scale = 100000;
    for (++pos; pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])); ++pos) {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
    }
  }
  long offset_seconds = 0;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    int hours = 0, minutes = 0;
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &hours, &minutes) < 1) return std::nullopt;
    offset_seconds = sign * (hours * 3600L + minutes * 60L);
  } else if (pos < s.size() && s[pos] != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const long long epoch = static_cast<long long>(timegm(&tm)) - offset_seconds;
  return TimePoint(std::chrono::microseconds(epoch * 1'000'000 + micros));
}

long long EpochMillis(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

TimePoint FromEpochMillis(long long ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

}  // namespace sagaflow
