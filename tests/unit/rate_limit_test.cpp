// Unit tests for engine/rate_limit: bursts, refill, Retry-After, separate
// clients, bounded memory and concurrent use, on an injected clock.
#include "engine/rate_limit.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

namespace sagaflow {
namespace {

using std::chrono::milliseconds;

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  RateLimiter::Clock Fn() {
    return [this] { return now; };
  }
};

}  // namespace

TEST_CASE("a bucket allows its burst, then refuses with the wait for one token", "[rate_limit]") {
  FakeClock clock;
  RateLimiter limiter({2, 3}, clock.Fn());  // 2 per second, burst 3
  for (int i = 0; i < 3; ++i) CHECK(limiter.Acquire("a").allowed);
  const RateDecision refused = limiter.Acquire("a");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == milliseconds(500));
  clock.now += milliseconds(250);
  CHECK(limiter.Acquire("a").retry_after == milliseconds(250));
  clock.now += milliseconds(250);
  CHECK(limiter.Acquire("a").allowed);
  CHECK_FALSE(limiter.Acquire("a").allowed);
  // A long pause refills to the burst, not beyond.
  clock.now += std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) CHECK(limiter.Acquire("a").allowed);
  CHECK_FALSE(limiter.Acquire("a").allowed);
}

TEST_CASE("clients have separate buckets", "[rate_limit]") {
  FakeClock clock;
  RateLimiter limiter({1, 1}, clock.Fn());
  CHECK(limiter.Acquire("10.0.0.1").allowed);
  CHECK_FALSE(limiter.Acquire("10.0.0.1").allowed);
  CHECK(limiter.Acquire("10.0.0.2").allowed);
  CHECK(limiter.size() == 2);
}

TEST_CASE("a rate of 0 turns the limit off", "[rate_limit]") {
  RateLimiter limiter({0, 1});
  CHECK_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) CHECK(limiter.Acquire("x").allowed);
  CHECK(limiter.size() == 0);
}

TEST_CASE("memory stays bounded: refilled buckets go first, then the least recent",
          "[rate_limit]") {
  FakeClock clock;
  RateLimiter limiter({1, 2, 100}, clock.Fn());
  for (int i = 0; i < 100; ++i) CHECK(limiter.Acquire("idle-" + std::to_string(i)).allowed);
  CHECK(limiter.size() == 100);
  clock.now += std::chrono::seconds(5);  // every bucket refilled
  // A busy client drains its bucket; new clients push the idle ones out.
  CHECK(limiter.Acquire("busy").allowed);
  CHECK(limiter.Acquire("busy").allowed);
  CHECK_FALSE(limiter.Acquire("busy").allowed);
  CHECK(limiter.size() <= 100);
  for (int i = 0; i < 10'000; ++i) limiter.Acquire("new-" + std::to_string(i));
  CHECK(limiter.size() <= 100);
}

TEST_CASE("an active client keeps its (empty) bucket while others churn", "[rate_limit]") {
  FakeClock clock;
  RateLimiter limiter({1, 1, 10}, clock.Fn());
  CHECK(limiter.Acquire("busy").allowed);
  for (int i = 0; i < 50; ++i) {
    limiter.Acquire("other-" + std::to_string(i));
    // Recently used, so never the one evicted: it stays refused.
    CHECK_FALSE(limiter.Acquire("busy").allowed);
    CHECK(limiter.size() <= 10);
  }
}

TEST_CASE("concurrent clients never get more than the burst", "[rate_limit]") {
  RateLimiter limiter({0.001, 50});  // practically no refill during the test
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.Acquire("shared").allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(allowed == 50);
}

}  // namespace sagaflow
