// What the stand-in tests share: the sagaflow-standin process (started once
// per test binary on a free loopback port, stopped at exit), its control
// API, connections pointed at it, and running a step type the way the
// executor does (a StepContext in, a StepResult out).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/step.hpp"

namespace sagaflow::standin_test {

class StandinProcess {
 public:
  explicit StandinProcess(const std::vector<std::string>& extra_args = {});
  ~StandinProcess();
  StandinProcess(const StandinProcess&) = delete;
  StandinProcess& operator=(const StandinProcess&) = delete;
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

// The stand-in every test here talks to.
StandinProcess& Standin();
inline std::string StandinUrl() {
  return Standin().url();
}

// Calls the control API; fails the test on a non-2xx answer.
Json Control(const std::string& method, const std::string& route, const Json& body = nullptr);

// A clean slate: the stand-in reset to its default data, no faults, no
// log; breakers forgotten; connections (with fresh token caches) pointed at
// it, with a breaker of 3 failures / 300 ms and a 2 s total timeout.
void ResetWorld();
Json TestConnections(const std::string& url);

Json State();  // without timestamps, for before/after comparisons
Json Requests(const std::string& system = "");
int CountRequests(const std::string& system, const std::string& method = "",
                  const std::string& path_prefix = "");
Json AddFault(const Json& fault);

struct StepRun {
  int attempt = 1;
  std::string idempotency_key = "run_test:step:forward";
  std::chrono::milliseconds timeout{5000};
  // When the step first started (create steps adopt what they made since).
  std::optional<TimePoint> first_started_at;
};
StepResult RunStep(const std::string& type, const Json& params, const StepRun& run = {});
// Attempt `n` of a step that first started at `started`.
StepRun Attempt(int n, TimePoint started);
StepRun WithTimeout(std::chrono::milliseconds timeout);

// The completed output, or a test failure naming the error.
Json MustComplete(const StepResult& result);

const char* KindName(StepResult::Kind kind);

}  // namespace sagaflow::standin_test
