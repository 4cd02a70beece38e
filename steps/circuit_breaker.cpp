#include "steps/circuit_breaker.hpp"

#include <algorithm>

namespace sagaflow::steps {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// A probe that never reported (its thread died) stops blocking others after this.
milliseconds ProbeLease(const BreakerSettings& settings) {
  return std::max<milliseconds>(settings.cool_down, std::chrono::seconds(60));
}

std::string EscapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

const char* BreakerStateName(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(std::string system, BreakerSettings settings, Now now)
    : system_(std::move(system)), now_(std::move(now)), settings_(settings) {
  if (!now_) now_ = [] { return SteadyClock::now(); };
}

void CircuitBreaker::OpenLocked(SteadyClock::time_point now) {
  state_ = BreakerState::kOpen;
  opened_at_ = now;
  probe_in_flight_ = false;
  opened_total_++;
}

CircuitBreaker::Admission CircuitBreaker::Admit() {
  std::lock_guard lock(mutex_);
  Admission admission;
  if (settings_.failure_threshold <= 0 || state_ == BreakerState::kClosed) return admission;
  const auto now = now_();
  if (state_ == BreakerState::kOpen) {
    const auto since = duration_cast<milliseconds>(now - opened_at_);
    if (since < settings_.cool_down) {
      rejected_total_++;
      admission.allowed = false;
      admission.retry_after = settings_.cool_down - since;
      return admission;
    }
    state_ = BreakerState::kHalfOpen;
  }
  // Half-open: one probe at a time decides.
  if (probe_in_flight_ && now - probe_started_ < ProbeLease(settings_)) {
    rejected_total_++;
    admission.allowed = false;
    admission.retry_after = settings_.cool_down;
    return admission;
  }
  probe_in_flight_ = true;
  probe_started_ = now;
  admission.probe = true;
  return admission;
}

void CircuitBreaker::Record(bool success, bool probe) {
  std::lock_guard lock(mutex_);
  if (probe) {
    probe_in_flight_ = false;
    if (success) {
      state_ = BreakerState::kClosed;
      failures_ = 0;
    } else {
      failures_++;
      OpenLocked(now_());
    }
    return;
  }
  // Calls admitted before the breaker opened may still report; only the
  // probe decides once it is open.
  if (state_ != BreakerState::kClosed) return;
  if (success) {
    failures_ = 0;
    return;
  }
  failures_++;
  if (settings_.failure_threshold > 0 && failures_ >= settings_.failure_threshold) {
    OpenLocked(now_());
  }
}

void CircuitBreaker::UpdateSettings(const BreakerSettings& settings) {
  std::lock_guard lock(mutex_);
  settings_ = settings;
}

BreakerSnapshot CircuitBreaker::Snapshot() const {
  std::lock_guard lock(mutex_);
  BreakerSnapshot snapshot;
  snapshot.system = system_;
  snapshot.state = state_;
  snapshot.consecutive_failures = failures_;
  snapshot.opened_total = opened_total_;
  snapshot.rejected_total = rejected_total_;
  if (state_ == BreakerState::kOpen) {
    const auto since = duration_cast<milliseconds>(now_() - opened_at_);
    snapshot.open_remaining = std::max(milliseconds(0), settings_.cool_down - since);
  }
  return snapshot;
}

BreakerRegistry& BreakerRegistry::Global() {
  static BreakerRegistry* registry = new BreakerRegistry;  // outlives worker threads
  return *registry;
}

std::shared_ptr<CircuitBreaker> BreakerRegistry::For(const std::string& system,
                                                     const BreakerSettings& settings) {
  std::lock_guard lock(mutex_);
  auto& breaker = breakers_[system];
  if (!breaker) {
    breaker = std::make_shared<CircuitBreaker>(system, settings);
  } else {
    breaker->UpdateSettings(settings);
  }
  return breaker;
}

std::vector<BreakerSnapshot> BreakerRegistry::Snapshots() const {
  std::lock_guard lock(mutex_);
  std::vector<BreakerSnapshot> out;
  for (const auto& [system, breaker] : breakers_) out.push_back(breaker->Snapshot());
  return out;
}

void BreakerRegistry::ResetForTest() {
  std::lock_guard lock(mutex_);
  breakers_.clear();
}

std::vector<BreakerSnapshot> CircuitBreakerStates() {
  return BreakerRegistry::Global().Snapshots();
}

std::string CircuitBreakerMetricsText() {
  const auto states = CircuitBreakerStates();
  std::string out;
  out +=
      "# HELP sagaflow_circuit_breaker_state Circuit breaker state per outside system (1 for the "
      "current state).\n# TYPE sagaflow_circuit_breaker_state gauge\n";
  for (const auto& s : states) {
    for (BreakerState state :
         {BreakerState::kClosed, BreakerState::kOpen, BreakerState::kHalfOpen}) {
      out += "sagaflow_circuit_breaker_state{system=\"" + EscapeLabel(s.system) + "\",state=\"" +
             BreakerStateName(state) + "\"} " + (s.state == state ? "1" : "0") + "\n";
    }
  }
  out +=
      "# HELP sagaflow_circuit_breaker_consecutive_failures Failures in a row per outside "
      "system.\n# TYPE sagaflow_circuit_breaker_consecutive_failures gauge\n";
  for (const auto& s : states) {
    out += "sagaflow_circuit_breaker_consecutive_failures{system=\"" + EscapeLabel(s.system) +
           "\"} " + std::to_string(s.consecutive_failures) + "\n";
  }
  out +=
      "# HELP sagaflow_circuit_breaker_opened_total Times the breaker opened.\n"
      "# TYPE sagaflow_circuit_breaker_opened_total counter\n";
  for (const auto& s : states) {
    out += "sagaflow_circuit_breaker_opened_total{system=\"" + EscapeLabel(s.system) + "\"} " +
           std::to_string(s.opened_total) + "\n";
  }
  out +=
      "# HELP sagaflow_circuit_breaker_rejected_total Calls refused while the breaker was "
      "open.\n# TYPE sagaflow_circuit_breaker_rejected_total counter\n";
  for (const auto& s : states) {
    out += "sagaflow_circuit_breaker_rejected_total{system=\"" + EscapeLabel(s.system) + "\"} " +
           std::to_string(s.rejected_total) + "\n";
  }
  return out;
}

}  // namespace sagaflow::steps
