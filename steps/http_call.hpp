// The path every HTTP-calling step takes to an outside system:
//
//   connection settings -> circuit breaker -> access token (cached; fetched
//   once by one thread) -> the request -> on 401, a fresh token and one more
//   try -> the breaker learns the outcome -> the answer, or the StepResult
//   to return (steps/http_errors.hpp decides which).
//
// Requests carry the connection's headers, `Accept: application/json`, the
// step's Idempotency-Key when asked, and are bounded by the connection's
// timeouts and the step's deadline. Thread-safe: steps call it concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/json.hpp"
#include "engine/step.hpp"
#include "steps/connections.hpp"
#include "steps/http_client.hpp"

namespace sagaflow::steps {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
  std::string method = "GET";
  // A path under the connection's base URL (Salesforce: under the token's
  // instance_url), or an absolute URL on the same origin as the base.
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  HttpHeaders headers;
  std::optional<Json> json;         // sent as application/json
  std::optional<FormFields> form;   // sent as application/x-www-form-urlencoded
  bool form_keep_brackets = false;  // metadata[key] as Stripe's SDK writes it
  bool send_idempotency_key = false;
  // Statuses that are answers: when empty, any 2xx; `also_accept` adds to
  // that (e.g. 404 for a lookup that may find nothing).
  std::vector<int> expected;
  std::vector<int> also_accept;

  static ApiRequest Make(std::string method, std::string path,
                         std::optional<Json> json = std::nullopt) {
    ApiRequest request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.json = std::move(json);
    return request;
  }
};

struct ApiResponse {
  int status = 0;
  HttpHeaders headers;
  std::string text;
  Json json;  // the parsed body; null when empty or not JSON
  std::optional<std::string> Header(std::string_view name) const;
};

// Either an answer or the StepResult the step should return as it is.
struct ApiOutcome {
  std::optional<ApiResponse> response;
  StepResult failure;
  bool ok() const { return response.has_value(); }
  const ApiResponse& operator*() const { return *response; }
  const ApiResponse* operator->() const { return &*response; }
};

// The connection a step names in its `connection` parameter (default
// `default_name`). On failure `connection` is null and `failure` says why.
struct ResolvedConnection {
  std::shared_ptr<Connection> connection;
  StepResult failure;
};
ResolvedConnection ResolveConnection(const StepContext& ctx, const std::string& default_name);

// `connection` may be null (http.request with a bare URL): then there is no
// authentication, default timeouts, and the breaker is per host.
ApiOutcome CallApi(const StepContext& ctx, Connection* connection, const ApiRequest& request);

// The step result for an unexpected answer that CallApi returned as
// accepted (e.g. a 404 the step chose not to forgive after all).
StepResult FailureFromResponse(const Connection* connection, const ApiRequest& request,
                               const ApiResponse& response);

}  // namespace sagaflow::steps
