// The step interface: what a step type is given when it runs and the value it
// returns. A step's outcome is a value, never an exception: the executor turns
// it into a durable state transition.
//
// Handlers are called on worker threads, possibly on several threads at once
// for different runs, so a handler must be safe to call concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "engine/json.hpp"

namespace sagaflow {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

enum class Phase { kForward, kCompensate };
const char* PhaseName(Phase phase);

struct StepContext {
  std::string run_id;
  std::string workflow;
  std::string step_id;
  Phase phase = Phase::kForward;
  int attempt = 1;  // 1-based
  // Stable across attempts and processes: derived from run, step and phase.
  std::string idempotency_key;
  Json params;  // resolved parameters, identical on every attempt
  TimePoint now;
  // When this step (in this phase) first began; durable timers count from it.
  TimePoint first_started_at;
  // The step's timeout, as an absolute time. Handlers doing I/O must give up by it.
  TimePoint deadline;
  // Appends a line to the run history (core.log uses it).
  std::function<void(const std::string&)> log;
};

struct StepResult {
  enum class Kind {
    kCompleted,         // output holds the result
    kRetryableFailure,  // try again under the retry policy
    kFinalFailure,      // never try again
    kWaitUntil,         // not done yet: call again at wait_until (a durable timer)
  };
  Kind kind = Kind::kCompleted;
  Json output;
  std::string error_code;  // machine-readable, e.g. "http_503" or a vendor's code
  std::string message;
  std::optional<std::chrono::milliseconds> retry_after;  // a server's Retry-After wins
  TimePoint wait_until;
  // The outside effect may or may not have happened (e.g. a timeout after the
  // request was sent); a later rollback must compensate this step too.
  bool outcome_uncertain = false;

  static StepResult Completed(Json output);
  static StepResult Retryable(std::string code, std::string message);
  static StepResult Final(std::string code, std::string message);
  static StepResult WaitUntil(TimePoint when);
};

using StepHandler = std::function<StepResult(const StepContext&)>;

}  // namespace sagaflow
