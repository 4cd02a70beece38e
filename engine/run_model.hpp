// The durable shape of a run as the executor and the API see it: the run row,
// its step rows (one per step and phase), history events, and the
// Transition value that moves a run from one state to the next in a single
// commit. Plain values; copy freely.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/step.hpp"

namespace sagaflow {

// Run states, exactly as DESIGN.md names them.
namespace run_status {
inline constexpr const char* kPending = "pending";
inline constexpr const char* kRunning = "running";
inline constexpr const char* kCompleted = "completed";
inline constexpr const char* kCompensating = "compensating";
inline constexpr const char* kCompensated = "compensated";
inline constexpr const char* kPaused = "paused";
inline constexpr const char* kStuck = "stuck";
inline constexpr const char* kCancelling = "cancelling";
inline constexpr const char* kCancelled = "cancelled";
bool IsTerminal(const std::string& status);
bool IsKnown(const std::string& status);
}  // namespace run_status

// Step row states.
namespace step_status {
inline constexpr const char* kRunning = "running";  // started; an attempt is due or in flight
inline constexpr const char* kWaiting = "waiting";  // a durable timer or a retry backoff
inline constexpr const char* kCompleted = "completed";
inline constexpr const char* kFailed = "failed";
inline constexpr const char* kSkipped = "skipped";
}  // namespace step_status

struct StepRecord {
  std::string step_id;
  Phase phase = Phase::kForward;
  std::string status;
  int attempts = 0;  // attempts begun
  Json params;       // resolved once, when the step first started
  Json output;
  Json error;
  bool uncertain = false;  // an attempt's outcome is unknown (timeout, crash)
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
  std::optional<int> completed_seq;
};

struct RunRecord {
  std::string id;
  std::string workflow;
  int version = 0;
  std::string status;
  Json input;
  Json output;
  Json error;
  Json trigger;
  std::optional<std::string> current_step;
  Phase current_phase = Phase::kForward;
  std::optional<std::string> attention_reason;
  Json command;  // null when no operator request is waiting
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> finished_at;
  std::optional<TimePoint> due_at;
  std::optional<std::string> lease_owner;
  long long lease_token = 0;
  std::vector<StepRecord> steps;

  StepRecord* FindStep(const std::string& step_id, Phase phase);
  const StepRecord* FindStep(const std::string& step_id, Phase phase) const;
};

struct HistoryEvent {
  long long id = 0;
  TimePoint at;
  std::string type;
  std::optional<std::string> step_id;
  std::optional<Phase> phase;
  std::optional<int> attempt;
  Json data = Json::object();
};

// Everything one state transition changes, committed atomically with the
// fencing check. Fields left empty are left as they are.
struct Transition {
  std::string status;                       // the run's status after the transition
  std::optional<std::string> current_step;  // nullopt: no step in progress
  Phase current_phase = Phase::kForward;
  std::optional<std::string> attention_reason;
  std::optional<Json> output;
  std::optional<Json> error;
  bool clear_command = false;
  bool finished = false;  // sets finished_at
  // After the commit the worker either keeps the lease (and goes on at once)
  // or releases the run until `wake_at` (nullopt: until an operator acts).
  bool release = false;
  std::optional<TimePoint> wake_at;
  std::vector<StepRecord> steps;  // rows to upsert, at most one per step and phase
  std::vector<HistoryEvent> events;
};

}  // namespace sagaflow
