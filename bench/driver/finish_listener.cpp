#include "bench/driver/finish_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <iostream>

namespace bench {

FinishListener::FinishListener(const std::string& database_url) : connection_(database_url) {
  connection_.Query("LISTEN sagaflow_run_finished");
  thread_ = std::thread([this] { Loop(); });
}

FinishListener::~FinishListener() {
  stop_ = true;
  thread_.join();
}

void FinishListener::Loop() {
  pg_conn* raw = connection_.raw();
  while (!stop_) {
    pollfd fd{PQsocket(raw), POLLIN, 0};
    poll(&fd, 1, 100);
    if (!(fd.revents & (POLLIN | POLLERR | POLLHUP))) continue;
    if (!PQconsumeInput(raw)) {
      if (stop_) return;
      std::cerr << "bench: the LISTEN connection failed: " << PQerrorMessage(raw) << "\n";
      return;
    }
    const auto now = Clock::now();
    while (PGnotify* note = PQnotifies(raw)) {
      const std::string payload = note->extra;
      PQfreemem(note);
      const size_t space = payload.find(' ');
      const std::string id = payload.substr(0, space);
      Finish finish{now, space == std::string::npos ? "" : payload.substr(space + 1)};
      ++received_;
      std::lock_guard lock(mutex_);
      auto waiter = waiting_.find(id);
      if (waiter != waiting_.end()) {
        waiter->second->finish = std::move(finish);
        waiter->second->ready.notify_one();
        waiting_.erase(waiter);
      } else {
        arrived_[id] = std::move(finish);
      }
    }
  }
}

std::optional<Finish> FinishListener::Wait(const std::string& run_id,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (auto it = arrived_.find(run_id); it != arrived_.end()) {
    Finish finish = std::move(it->second);
    arrived_.erase(it);
    return finish;
  }
  Slot slot;
  waiting_[run_id] = &slot;
  slot.ready.wait_for(lock, timeout, [&] { return slot.finish.has_value(); });
  if (!slot.finish) waiting_.erase(run_id);
  return slot.finish;
}

void FinishListener::Clear() {
  std::lock_guard lock(mutex_);
  arrived_.clear();
}

}  // namespace bench
