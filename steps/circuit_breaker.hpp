// A circuit breaker per outside system (a connection name, or the host of a
// bare http.request).
//
//   closed    --(failure_threshold failures in a row)-->        open
//   open      --(cool_down has passed; the next call is the probe)--> half_open
//   half_open --(probe succeeds)--> closed   --(probe fails)--> open
//
// While open, and while a probe is in flight, calls are refused: the step
// returns a retryable "circuit_open" with retry_after set to the rest of the
// cool-down, so its run waits without calling. What counts as a failure is
// IsSystemFailure() (transport errors, 408, 5xx); any other answer, 4xx
// included, shows the system is up.
//
// Thread-safe. Breakers live for the whole process in one registry, which is
// what /metrics reads (CircuitBreakerStates, CircuitBreakerMetricsText).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sagaflow::steps {

struct BreakerSettings {
  int failure_threshold = 5;  // consecutive failures that open it; 0 disables the breaker
  std::chrono::milliseconds cool_down{30'000};
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };
const char* BreakerStateName(BreakerState state);

struct BreakerSnapshot {
  std::string system;
  BreakerState state = BreakerState::kClosed;
  int consecutive_failures = 0;
  long long opened_total = 0;    // times it went from closed or half-open to open
  long long rejected_total = 0;  // calls refused while open
  std::chrono::milliseconds open_remaining{0};
};

class CircuitBreaker {
 public:
  using SteadyClock = std::chrono::steady_clock;
  using Now = std::function<SteadyClock::time_point()>;

  CircuitBreaker(std::string system, BreakerSettings settings, Now now = nullptr);

  struct Admission {
    bool allowed = true;
    bool probe = false;                     // this call decides whether it closes
    std::chrono::milliseconds retry_after;  // when refused
  };
  Admission Admit();
  // Every admitted call reports once, with the `probe` flag Admit gave it.
  void Record(bool success, bool probe);

  void UpdateSettings(const BreakerSettings& settings);
  BreakerSnapshot Snapshot() const;

 private:
  void OpenLocked(SteadyClock::time_point now);

  const std::string system_;
  Now now_;
  mutable std::mutex mutex_;
  BreakerSettings settings_;
  BreakerState state_ = BreakerState::kClosed;
  int failures_ = 0;
  SteadyClock::time_point opened_at_{};
  SteadyClock::time_point probe_started_{};
  bool probe_in_flight_ = false;
  long long opened_total_ = 0;
  long long rejected_total_ = 0;
};

class BreakerRegistry {
 public:
  static BreakerRegistry& Global();

  // The breaker for `system`, created with `settings` on first use; later
  // calls update its settings (connections may be reloaded).
  std::shared_ptr<CircuitBreaker> For(const std::string& system, const BreakerSettings& settings);
  std::vector<BreakerSnapshot> Snapshots() const;
  void ResetForTest();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<CircuitBreaker>> breakers_;
};

// Every breaker's state, sorted by system; for /metrics and the admin page.
std::vector<BreakerSnapshot> CircuitBreakerStates();

// The same as Prometheus text exposition lines (with HELP and TYPE):
//   sagaflow_circuit_breaker_state{system="scalekit",state="open"} 1   (one per state)
//   sagaflow_circuit_breaker_consecutive_failures{system="scalekit"} 5
//   sagaflow_circuit_breaker_opened_total{system="scalekit"} 1
//   sagaflow_circuit_breaker_rejected_total{system="scalekit"} 12
std::string CircuitBreakerMetricsText();

}  // namespace sagaflow::steps
