// http.request — a generic HTTP call. Read-only methods need no compensation.
#include <algorithm>

#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"

namespace sagaflow {

void RegisterHttpSteps(StepRegistry& registry) {
  using P = ParamType;
  StepType type;
  type.name = "http.request";
  type.description = "Sends an HTTP request and returns the status, headers and JSON body.";
  type.params = {
      {"method", P::kString, false, "GET", "GET, POST, PUT, PATCH, DELETE, …"},
      {"url", P::kString, true, nullptr, "absolute http(s) URL"},
      {"headers", P::kObject, false, nullptr, "extra request headers"},
      {"query", P::kObject, false, nullptr, "query parameters"},
      {"json", P::kAny, false, nullptr, "a JSON body"},
      {"form", P::kObject, false, nullptr, "a form-encoded body"},
      {"connection", P::kString, false, nullptr, "a configured connection for base URL and auth"},
      {"expected_status", P::kArray, false, nullptr, "statuses that count as success (2xx)"},
      {"idempotency_key", P::kBoolean, false, false, "send the step's Idempotency-Key"},
  };
  type.changes_outside_state = [](const Json& with) {
    if (!with.is_object() || !with.contains("method")) return false;  // GET by default
    if (!with["method"].is_string()) return true;
    std::string method = with["method"].get<std::string>();
    std::transform(method.begin(), method.end(), method.begin(), ::toupper);
    return !(method == "GET" || method == "HEAD" || method == "OPTIONS");
  };
  type.handler = [](const StepContext&) {
    return StepResult::Final("not_available", "http.request has no client in this build yet");
  };
  registry.Register(std::move(type));
}

}  // namespace sagaflow
