#include "engine/duration.hpp"

#include <cctype>

namespace sagaflow {

std::optional<Millis> ParseDuration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  // Nine digits of hours is already far beyond any sensible timeout; the cap
  // keeps the multiplication below from overflowing.
  if (digits == 0 || digits > 9) return std::nullopt;
  const long long value = std::stoll(std::string(text.substr(0, digits)));
  const std::string_view unit = text.substr(digits);
  if (unit == "ms") return Millis(value);
  if (unit == "s") return Millis(value * 1000);
  if (unit == "m") return Millis(value * 60'000);
  if (unit == "h") return Millis(value * 3'600'000);
  return std::nullopt;
}

std::string FormatDuration(Millis duration) {
  const long long ms = duration.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace sagaflow
