// Waits for runs to finish: one dedicated connection LISTENs on
// sagaflow_run_finished ("<run id> <status>") and hands each announcement to
// the thread waiting for that run. An announcement may arrive before the
// waiter knows the run id (a fast run finishes before the 202 is read); it is
// kept until asked for.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "bench/driver/pg.hpp"

namespace bench {

using Clock = std::chrono::steady_clock;

struct Finish {
  Clock::time_point at;  // when the announcement reached the driver
  std::string status;
};

class FinishListener {
 public:
  explicit FinishListener(const std::string& database_url);
  ~FinishListener();

  // The run's announcement, or nullopt after `timeout`.
  std::optional<Finish> Wait(const std::string& run_id, std::chrono::milliseconds timeout);
  // Forgets announcements nobody asked for.
  void Clear();
  long long received() const { return received_; }

 private:
  struct Slot {
    std::condition_variable ready;
    std::optional<Finish> finish;
  };
  void Loop();

  PgConnection connection_;
  std::mutex mutex_;
  std::unordered_map<std::string, Finish> arrived_;
  std::unordered_map<std::string, Slot*> waiting_;
  std::atomic<bool> stop_{false};
  std::atomic<long long> received_{0};
  std::thread thread_;
};

}  // namespace bench
