#include "engine/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace sagaflow {

RateLimiter::RateLimiter(RateLimitOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {
  options_.burst = std::max(1.0, options_.burst);
  options_.max_keys = std::max<size_t>(1, options_.max_keys);
}

size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::Refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - bucket.updated).count();
  if (seconds > 0)
    bucket.tokens = std::min(options_.burst, bucket.tokens + seconds * options_.rate);
  bucket.updated = now;
}

void RateLimiter::MakeRoom(std::chrono::steady_clock::time_point now) {
  // A full sweep only when the map is full: drop every bucket that has
  // refilled (a new bucket would be the same). The sweep is O(n) but frees
  // at least one slot or falls back to LRU, so it runs rarely.
  const auto refill_time = std::chrono::duration<double>(options_.burst / options_.rate);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.updated >= refill_time) {
      lru_.erase(it->second.lru);
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  while (buckets_.size() >= options_.max_keys) {
    buckets_.erase(lru_.back());
    lru_.pop_back();
  }
}

RateDecision RateLimiter::Acquire(const std::string& key) {
  if (!enabled()) return {};
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_keys) MakeRoom(now);
    lru_.push_front(key);
    it = buckets_.emplace(key, Bucket{options_.burst, now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    Refill(it->second, now);
  }
  Bucket& bucket = it->second;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  const double wait = (1 - bucket.tokens) / options_.rate;
  const auto millis = static_cast<long long>(std::ceil(wait * 1000));
  return {false, std::chrono::milliseconds(std::max(1LL, millis))};
}

}  // namespace sagaflow
