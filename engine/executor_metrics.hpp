// Counters the executor keeps for /metrics and benchmarks. Lock-free reads.
#pragma once

#include <atomic>

namespace sagaflow {

struct ExecutorMetrics {
  std::atomic<long long> claims{0};  // claim statements that returned runs
  std::atomic<long long> runs_claimed{0};
  std::atomic<long long> takeovers{0};    // runs taken from an expired lease
  std::atomic<long long> transitions{0};  // committed transitions
  std::atomic<long long> commits{0};      // commits that carried them (steps batch)
  std::atomic<long long> step_attempts{0};
  std::atomic<long long> leases_lost{0};
  std::atomic<long long> store_unavailable{0};
  std::atomic<long long> wakeups{0};  // scheduler wake-ups that queried the store
};

}  // namespace sagaflow
