// The clock cron schedules fire by: the system clock, or — for tests only —
// a scaled virtual clock that reads `epoch` at the real instant `origin` and
// runs `speed` times as fast. Processes given the same three numbers agree
// on the virtual time, so a test can watch several `sagaflow serve`
// processes share a schedule over many ticks in a few real seconds, or
// start just before a daylight-saving change. Nothing but schedules reads
// it: leases, timers and database times stay real.
//
// Immutable; safe from any thread.
#pragma once

#include <chrono>

#include "engine/config.hpp"
#include "engine/step.hpp"

namespace sagaflow {

class ScheduleClock {
 public:
  ScheduleClock() = default;  // the system clock

  // `epoch` and `origin` in unix seconds; speed > 0.
  static ScheduleClock Scaled(double epoch, double origin, double speed);
  // From SAGAFLOW_TEST_CLOCK_*; the system clock when they are not set.
  // Throws std::runtime_error for a speed of 0.
  static ScheduleClock FromConfig(const Config& config);

  TimePoint Now() const;
  // Real time until the clock shows `when` (zero when it already does).
  std::chrono::nanoseconds RealDelayUntil(TimePoint when) const;
  bool scaled() const { return scaled_; }

 private:
  bool scaled_ = false;
  double epoch_ = 0;
  double origin_ = 0;
  double speed_ = 1;
};

}  // namespace sagaflow
