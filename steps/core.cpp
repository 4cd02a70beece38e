#include "steps/builtin_steps.hpp"

#include <fstream>
#include <thread>

#include "engine/duration.hpp"

namespace sagaflow {
namespace {

StepResult Noop(const StepContext& ctx) {
  return StepResult::Completed(ctx.params);
}

// A durable timer: the first call returns "wait until started + duration";
// the executor persists that and calls again when it is due, holding no thread.
StepResult Sleep(const StepContext& ctx) {
  const auto duration = ParseDuration(ctx.params.value("duration", ""));
  if (!duration) return StepResult::Final("bad_parameter", "duration: not a duration");
  const TimePoint due = ctx.first_started_at + *duration;
  if (ctx.now < due) return StepResult::WaitUntil(due);
  return StepResult::Completed(Json{{"slept", FormatDuration(*duration)}});
}

StepResult Fail(const StepContext& ctx) {
  const std::string message = ctx.params.value("message", "core.fail failed as told");
  const bool retryable = ctx.params.value("retryable", true);
  if (ctx.params.contains("times")) {
    const int times = ctx.params["times"].get<int>();
    if (ctx.attempt > times) return StepResult::Completed(Json{{"attempts", ctx.attempt}});
  }
  return retryable ? StepResult::Retryable("core_fail", message)
                   : StepResult::Final("core_fail", message);
}

StepResult Log(const StepContext& ctx) {
  const std::string message = ctx.params.value("message", "");
  if (ctx.log) ctx.log(message);
  return StepResult::Completed(Json{{"message", message}});
}

// Appends one line to a local file, then optionally holds the worker for a
// while. Tests count executions with it and kill processes mid-step.
StepResult Append(const StepContext& ctx) {
  std::ofstream file(ctx.params.value("path", ""), std::ios::app);
  if (!file)
    return StepResult::Retryable("io_error", "cannot open " + ctx.params.value("path", ""));
  file << ctx.params.value("line", ctx.idempotency_key) << "\n";
  file.close();
  if (ctx.params.contains("hold")) {
    const auto hold = ParseDuration(ctx.params["hold"].get<std::string>());
    if (hold) {
      const TimePoint until = std::min(Clock::now() + *hold, ctx.deadline);
      std::this_thread::sleep_until(until);
      if (until == ctx.deadline) {
        StepResult timeout = StepResult::Retryable("timeout", "step timed out");
        timeout.outcome_uncertain = true;
        return timeout;
      }
    }
  }
  return StepResult::Completed(Json{{"line", ctx.params.value("line", ctx.idempotency_key)}});
}

}  // namespace

void RegisterCoreSteps(StepRegistry& registry) {
  registry.Register({.name = "core.noop",
                     .description = "Completes at once; its output is its parameters.",
                     .params = {},
                     .accepts_any_params = true,
                     .changes_outside_state = ChangesOutsideState(false),
                     .handler = Noop});
  registry.Register(
      {.name = "core.sleep",
       .description = "Completes after the duration; a durable timer, no thread waits.",
       .params = {{"duration", ParamType::kDuration, true, nullptr, "how long"}},
       .changes_outside_state = ChangesOutsideState(false),
       .handler = Sleep});
  registry.Register(
      {.name = "core.fail",
       .description = "Fails the first `times` attempts (always, when absent), then completes.",
       .params = {{"times", ParamType::kInteger, false, nullptr, "attempts that fail"},
                  {"retryable", ParamType::kBoolean, false, true, "whether failures are retryable"},
                  {"message", ParamType::kString, false, nullptr, "the error message"}},
       .changes_outside_state = ChangesOutsideState(false),
       .handler = Fail});
  registry.Register({.name = "core.log",
                     .description = "Writes the message to the run history.",
                     .params = {{"message", ParamType::kString, true, nullptr, "what to write"}},
                     .changes_outside_state = ChangesOutsideState(false),
                     .handler = Log});
  registry.Register(
      {.name = "core.append",
       .description = "Appends a line to a local file, then holds the worker for `hold`.",
       .params = {{"path", ParamType::kString, true, nullptr, "the file"},
                  {"line", ParamType::kString, false, nullptr, "default: the idempotency key"},
                  {"hold", ParamType::kDuration, false, nullptr, "how long to stay busy"}},
       .changes_outside_state = ChangesOutsideState(true),
       .handler = Append});
}

}  // namespace sagaflow
