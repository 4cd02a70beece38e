// The circuit breaker's state machine on a hand-driven clock.
#include <catch2/catch.hpp>

#include "steps/circuit_breaker.hpp"

namespace {

using namespace sagaflow::steps;
using namespace std::chrono_literals;

struct FakeClock {
  CircuitBreaker::SteadyClock::time_point now{};
  CircuitBreaker::Now fn() {
    return [this] { return now; };
  }
};

}  // namespace

TEST_CASE("breaker: opens after the threshold, refuses, probes, closes", "[steps][breaker]") {
  FakeClock clock;
  CircuitBreaker breaker("crm", {3, 10s}, clock.fn());
  for (int i = 0; i < 2; ++i) {
    auto admission = breaker.Admit();
    REQUIRE(admission.allowed);
    CHECK_FALSE(admission.probe);
    breaker.Record(false, false);
  }
  breaker.Record(true, false);  // a success resets the count
  CHECK(breaker.Snapshot().consecutive_failures == 0);
  for (int i = 0; i < 3; ++i) breaker.Record(false, breaker.Admit().probe);
  CHECK(breaker.Snapshot().state == BreakerState::kOpen);
  CHECK(breaker.Snapshot().opened_total == 1);

  clock.now += 4s;
  auto refused = breaker.Admit();
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 6s);
  CHECK(breaker.Snapshot().open_remaining == 6s);
  CHECK(breaker.Snapshot().rejected_total == 1);

  clock.now += 6s;
  auto probe = breaker.Admit();
  CHECK(probe.allowed);
  CHECK(probe.probe);
  CHECK(breaker.Snapshot().state == BreakerState::kHalfOpen);
  auto second = breaker.Admit();  // one probe at a time
  CHECK_FALSE(second.allowed);
  breaker.Record(true, true);
  CHECK(breaker.Snapshot().state == BreakerState::kClosed);
  CHECK(breaker.Admit().allowed);
}

TEST_CASE("breaker: a failed probe opens it for another cool-down", "[steps][breaker]") {
  FakeClock clock;
  CircuitBreaker breaker("billing", {1, 5s}, clock.fn());
  breaker.Record(false, breaker.Admit().probe);
  CHECK(breaker.Snapshot().state == BreakerState::kOpen);
  clock.now += 5s;
  auto probe = breaker.Admit();
  REQUIRE(probe.probe);
  breaker.Record(false, true);
  CHECK(breaker.Snapshot().state == BreakerState::kOpen);
  CHECK(breaker.Snapshot().opened_total == 2);
  clock.now += 1s;
  CHECK(breaker.Admit().retry_after == 4s);
  // Late reports from calls admitted before it opened change nothing.
  breaker.Record(true, false);
  CHECK(breaker.Snapshot().state == BreakerState::kOpen);
}

TEST_CASE("breaker: a probe that never reports stops blocking after its lease",
          "[steps][breaker]") {
  FakeClock clock;
  CircuitBreaker breaker("hr", {1, 1s}, clock.fn());
  breaker.Record(false, breaker.Admit().probe);
  clock.now += 1s;
  REQUIRE(breaker.Admit().probe);  // and its thread dies
  clock.now += 30s;
  CHECK_FALSE(breaker.Admit().allowed);
  clock.now += 31s;
  CHECK(breaker.Admit().probe);
}

TEST_CASE("breaker: a threshold of 0 turns it off", "[steps][breaker]") {
  CircuitBreaker breaker("off", {0, 1s});
  for (int i = 0; i < 10; ++i) breaker.Record(false, breaker.Admit().probe);
  CHECK(breaker.Admit().allowed);
}

TEST_CASE("breaker registry and metrics text", "[steps][breaker]") {
  auto& registry = BreakerRegistry::Global();
  registry.ResetForTest();
  auto a = registry.For("scalekit", {1, 60s});
  registry.For("stripe", {5, 60s});
  CHECK(registry.For("scalekit", {1, 60s}) == a);
  a->Record(false, a->Admit().probe);
  const auto states = CircuitBreakerStates();
  REQUIRE(states.size() == 2);
  CHECK(states[0].system == "scalekit");
  CHECK(states[0].state == BreakerState::kOpen);
  const std::string text = CircuitBreakerMetricsText();
  CHECK(text.find("# TYPE sagaflow_circuit_breaker_state gauge") != std::string::npos);
  CHECK(text.find("sagaflow_circuit_breaker_state{system=\"scalekit\",state=\"open\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sagaflow_circuit_breaker_state{system=\"stripe\",state=\"closed\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sagaflow_circuit_breaker_opened_total{system=\"scalekit\"} 1\n") !=
        std::string::npos);
  registry.ResetForTest();
}
