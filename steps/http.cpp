// http.request — a generic HTTP call. Read-only methods need no compensation.
//
// `url` is absolute, or a path under the named connection's base URL; the
// connection also supplies authentication (bearer, basic or OAuth), timeouts
// and the breaker. A bare absolute URL goes out without credentials, with a
// breaker per host. Statuses outside `expected_status` (default: any 2xx)
// are classified like every step's (steps/http_errors.hpp).
#include <algorithm>

#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"
#include "steps/http_call.hpp"
#include "steps/step_params.hpp"

namespace sagaflow {
namespace steps {
namespace {

StepResult HttpRequestStep(const StepContext& ctx) {
  const Json& p = ctx.params;
  std::shared_ptr<Connection> connection;
  if (!ParamText(p, "connection").empty()) {
    auto resolved = ResolveConnection(ctx, "");
    if (!resolved.connection) return resolved.failure;
    connection = resolved.connection;
  }
  ApiRequest request;
  request.method = ParamText(p, "method");
  if (request.method.empty()) request.method = "GET";
  std::transform(request.method.begin(), request.method.end(), request.method.begin(), ::toupper);
  request.path = ParamText(p, "url");
  if (request.path.empty()) return BadParameter("url", "must not be empty");
  const Json query_params = ParamObject(p, "query");
  for (const auto& [name, value] : query_params.items()) {
    if (value.is_array()) {
      for (const auto& item : value)
        request.query.emplace_back(name, MetadataText(item).get<std::string>());
    } else if (!value.is_null()) {
      request.query.emplace_back(name, MetadataText(value).get<std::string>());
    }
  }
  const Json header_params = ParamObject(p, "headers");
  for (const auto& [name, value] : header_params.items()) {
    if (!value.is_null())
      request.headers.emplace_back(name, MetadataText(value).get<std::string>());
  }
  if (HasParam(p, "json") && HasParam(p, "form")) {
    return BadParameter("json", "give json or form, not both");
  }
  if (HasParam(p, "json")) request.json = p["json"];
  if (HasParam(p, "form")) {
    FormFields form;
    for (const auto& [name, value] : p["form"].items()) {
      if (!value.is_null()) form.emplace_back(name, MetadataText(value).get<std::string>());
    }
    request.form = form;
  }
  if (auto it = p.find("expected_status"); it != p.end() && it->is_array()) {
    for (const auto& status : *it) {
      if (!status.is_number_integer()) {
        return BadParameter("expected_status", "list status codes, e.g. [200, 201]");
      }
      request.expected.push_back(status.get<int>());
    }
  }
  request.send_idempotency_key = ParamBool(p, "idempotency_key", false);

  auto answer = CallApi(ctx, connection.get(), request);
  if (!answer.ok()) return answer.failure;
  Json headers = Json::object();
  for (const auto& [name, value] : answer->headers) headers[name] = value;
  Json body = answer->json;
  if (body.is_null() && !answer->text.empty()) body = answer->text;
  return StepResult::Completed(
      Json{{"status", answer->status}, {"headers", headers}, {"body", body}});
}

}  // namespace
}  // namespace steps

void RegisterHttpSteps(StepRegistry& registry) {
  using P = ParamType;
  StepType type;
  type.name = "http.request";
  type.description =
      "Sends an HTTP request. Output: {status, headers (lower-case names), body (JSON when it "
      "parses, else text)}.";
  type.params = {
      {"method", P::kString, false, "GET", "GET, POST, PUT, PATCH, DELETE, …"},
      {"url", P::kString, true, nullptr, "absolute http(s) URL, or a path under the connection"},
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
  type.handler = steps::HttpRequestStep;
  registry.Register(std::move(type));
}

}  // namespace sagaflow
