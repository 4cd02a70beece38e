// Closed-loop load: `concurrency` client threads, each with one keep-alive
// connection, start a run over HTTP and (optionally) wait for its
// announcement before starting the next, until `runs` were started or
// `max_time` passed. Latency is trigger-to-finished: from just before the
// POST is sent to the arrival of the run's NOTIFY.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "bench/driver/finish_listener.hpp"

namespace bench {

struct LoadSpec {
  std::vector<unsigned short> ports;  // client i talks to ports[i % size]
  std::string token;
  std::string workflow;
  std::string input = "{}";
  long long runs = 0;
  int concurrency = 1;
  std::chrono::milliseconds max_time{20'000};
  bool wait_finish = true;  // false: only start runs (the 202 ends the loop turn)
};

struct LoadResult {
  long long started = 0;   // 202 answers
  long long finished = 0;  // announcements received for them
  long long http_errors = 0;
  long long timeouts = 0;  // started but not announced within 60 s
  std::map<std::string, long long> statuses;
  double seconds = 0;              // first request to last finish (or last 202)
  std::vector<double> latency_ms;  // trigger-to-finished, or POST round trip
};

LoadResult RunLoad(const LoadSpec& spec, FinishListener* listener);

}  // namespace bench
