// The workflow model: a definition parsed once from YAML, validated, and then
// immutable. The executor, the store and the HTTP layer read only this model;
// nothing outside the loader sees YAML. Definitions are shared by pointer
// (std::shared_ptr<const WorkflowDefinition>) across threads.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/cron.hpp"
#include "engine/diagnostics.hpp"
#include "engine/expression.hpp"
#include "engine/input_schema.hpp"
#include "engine/json.hpp"
#include "engine/step_registry.hpp"
#include "engine/time_zone.hpp"

namespace sagaflow {

struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds initial_interval{1000};
  std::chrono::milliseconds max_interval{60'000};
  double multiplier = 2.0;
  double jitter = 0.2;  // +/- this fraction of each interval

  // The wait before attempt `next_attempt` (2 or more), before jitter.
  std::chrono::milliseconds BackoffBefore(int next_attempt) const;
};

enum class OnFailure { kCompensate, kPause, kContinue };
const char* OnFailureName(OnFailure on_failure);

// One call of a step type: `uses` + `with`, with its retry policy and timeout.
struct Action {
  std::string uses;
  const StepType* type = nullptr;  // owned by the registry, which outlives definitions
  CompiledValue with;
  RetryPolicy retry;
  std::chrono::milliseconds timeout{30'000};
  // False for steps that touch nothing outside the run (core.noop, core.log):
  // the executor may run them before the previous transition is durable.
  bool changes_outside_state = true;
};

struct StepDefinition {
  std::string id;
  std::string description;
  Action action;
  // Absent when the author wrote `compensate: none` (or the step changes nothing).
  std::optional<Action> compensate;
  std::optional<Template> when;
  OnFailure on_failure = OnFailure::kCompensate;
  SourceLocation location;
};

struct HttpTrigger {};

struct WebhookTrigger {
  std::string source;               // "stripe" or a configured generic source
  std::vector<std::string> events;  // event types this workflow listens to
  CompiledValue input;              // evaluated over `event`
};

enum class CatchUp { kNone, kLast, kAll };

struct ScheduleTrigger {
  std::string cron_text;
  std::shared_ptr<const CronSchedule> cron;
  std::string timezone_name;  // "UTC" when absent
  TimeZone timezone;
  CompiledValue input;
  CatchUp catch_up = CatchUp::kLast;
};

struct Trigger {
  enum class Kind { kHttp, kWebhook, kSchedule };
  Kind kind = Kind::kHttp;
  WebhookTrigger webhook;                   // when kind == kWebhook
  std::optional<ScheduleTrigger> schedule;  // when kind == kSchedule
};

struct WorkflowDefinition {
  std::string name;
  int version = 0;
  std::string description;
  Json input_schema_source;                         // the `input:` block as written, for the API
  std::shared_ptr<const InputSchema> input_schema;  // never null after loading
  std::vector<Trigger> triggers;
  std::vector<StepDefinition> steps;
  CompiledValue output;
  bool has_output = false;

  std::string file;
  std::string source_text;
  std::string content_hash;  // sha256 of source_text, hex

  const StepDefinition* FindStep(const std::string& id) const;
  int StepIndex(const std::string& id) const;  // -1 when absent
};

using DefinitionPtr = std::shared_ptr<const WorkflowDefinition>;

}  // namespace sagaflow
