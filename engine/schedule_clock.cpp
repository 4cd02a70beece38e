#include "engine/schedule_clock.hpp"

#include <stdexcept>

namespace sagaflow {
namespace {

double UnixSeconds(TimePoint time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

TimePoint FromUnixSeconds(double seconds) {
  return TimePoint(
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
}

}  // namespace

ScheduleClock ScheduleClock::Scaled(double epoch, double origin, double speed) {
  if (!(speed > 0)) throw std::runtime_error("the test clock's speed must be above 0");
  ScheduleClock clock;
  clock.scaled_ = true;
  clock.epoch_ = epoch;
  clock.origin_ = origin;
  clock.speed_ = speed;
  return clock;
}

ScheduleClock ScheduleClock::FromConfig(const Config& config) {
  if (!config.test_clock_epoch) return ScheduleClock();
  const double epoch = *config.test_clock_epoch;
  return Scaled(epoch, config.test_clock_origin.value_or(epoch), config.test_clock_speed);
}

TimePoint ScheduleClock::Now() const {
  const TimePoint real = Clock::now();
  if (!scaled_) return real;
  return FromUnixSeconds(epoch_ + (UnixSeconds(real) - origin_) * speed_);
}

std::chrono::nanoseconds ScheduleClock::RealDelayUntil(TimePoint when) const {
  const double ahead = std::chrono::duration<double>(when - Now()).count() / speed_;
  if (ahead <= 0) return std::chrono::nanoseconds(0);
  if (ahead > 86'400.0 * 365) return std::chrono::hours(24 * 365);  // no overflow
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(ahead));
}

}  // namespace sagaflow
