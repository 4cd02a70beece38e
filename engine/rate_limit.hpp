// Token-bucket rate limits keyed by a client (an address or a token name).
//
// Each key owns a bucket of `burst` tokens refilled at `rate` per second; a
// request takes one token or is refused with the time until one is back.
// Memory is bounded: at most `max_keys` buckets are kept. Buckets that have
// refilled completely are indistinguishable from new ones and are dropped
// first; beyond that the least recently used bucket goes (that client then
// starts again with a full bucket, which errs on the side of letting it in).
//
// Thread-safe: one mutex around a hash map and an LRU list; Acquire is O(1)
// amortised. The clock is injectable for tests.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sagaflow {

struct RateLimitOptions {
  double rate = 0;   // tokens per second; 0 or less: no limit
  double burst = 1;  // bucket size (at least 1)
  size_t max_keys = 10'000;
};

struct RateDecision {
  bool allowed = true;
  // When refused: how long until a token is available.
  std::chrono::milliseconds retry_after{0};
};

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit RateLimiter(
      RateLimitOptions options, Clock clock = [] { return std::chrono::steady_clock::now(); });

  RateDecision Acquire(const std::string& key);

  bool enabled() const { return options_.rate > 0; }
  const RateLimitOptions& options() const { return options_; }
  size_t size() const;  // buckets held

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  void Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
  void MakeRoom(std::chrono::steady_clock::time_point now);

  RateLimitOptions options_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // front: most recently used
};

}  // namespace sagaflow
