#include "steps/http_call.hpp"

#include <strings.h>

#include <algorithm>

#include "steps/circuit_breaker.hpp"
#include "steps/http_errors.hpp"

namespace sagaflow::steps {
namespace {

bool IsAbsolute(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string HostOf(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  return url.substr(start, url.find_first_of("/?#", start) - start);
}

bool IsOAuth(const Connection* connection) {
  if (!connection) return false;
  const AuthKind kind = connection->config().auth;
  return kind == AuthKind::kOAuthClientCredentials || kind == AuthKind::kOAuthRefreshToken;
}

HttpRequest BaseRequest(const StepContext& ctx, const Connection* connection) {
  HttpRequest http;
  http.deadline = ctx.deadline;
  if (connection) {
    const ConnectionConfig& config = connection->config();
    http.timeouts = config.timeouts;
    http.max_response_bytes = config.max_response_bytes;
    http.ca_file = config.ca_file;
  }
  return http;
}

ErrorContext ContextFor(const Connection* connection, const std::string& system,
                        const std::string& what) {
  ErrorContext context;
  context.system = system;
  context.what = what;
  if (connection) {
    context.vendor = connection->config().vendor;
    context.request_limit_retry_after = connection->config().request_limit_retry_after;
  }
  return context;
}

}  // namespace

std::optional<std::string> ApiResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {  // names are lower-case already
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

ResolvedConnection ResolveConnection(const StepContext& ctx, const std::string& default_name) {
  ResolvedConnection resolved;
  std::string name = default_name;
  if (auto it = ctx.params.find("connection"); it != ctx.params.end() && it->is_string()) {
    if (!it->get<std::string>().empty()) name = it->get<std::string>();
  }
  std::string error;
  auto set = Connections(&error);
  if (!set) {
    resolved.failure = StepResult::Final("connection_config_invalid", error);
    return resolved;
  }
  try {
    resolved.connection = set->Find(name);
  } catch (const std::exception& e) {
    resolved.failure = StepResult::Final("connection_config_invalid", e.what());
    return resolved;
  }
  if (!resolved.connection) {
    resolved.failure = StepResult::Final(
        "connection_not_configured",
        "no connection named '" + name + "': set SAGAFLOW_" + name +
            "_URL (upper-cased) or describe it in the file named by SAGAFLOW_CONNECTIONS_FILE");
  }
  return resolved;
}

ApiOutcome CallApi(const StepContext& ctx, Connection* connection, const ApiRequest& request) {
  ApiOutcome outcome;
  const ConnectionConfig* config = connection ? &connection->config() : nullptr;
  if (config) {
    if (const std::string missing = config->MissingSettings(); !missing.empty()) {
      outcome.failure = StepResult::Final("connection_not_configured", missing);
      return outcome;
    }
  }
  if (IsAbsolute(request.path) && config && !config->base_url.empty() &&
      request.path.rfind(config->base_url, 0) != 0) {
    outcome.failure = StepResult::Final(
        "bad_parameter", "url: " + request.path + " is not under the connection's base URL " +
                             config->base_url + "; its credentials are not sent elsewhere");
    return outcome;
  }
  if (!IsAbsolute(request.path) && (!config || config->base_url.empty())) {
    outcome.failure = StepResult::Final(
        "bad_parameter", "url: '" + request.path + "' is relative and there is no base URL");
    return outcome;
  }

  const std::string system = config ? config->name : "host:" + HostOf(request.path);
  const std::string what = request.method + " " + request.path;
  auto breaker =
      BreakerRegistry::Global().For(system, config ? config->breaker : BreakerSettings{});
  const CircuitBreaker::Admission admission = breaker->Admit();
  if (!admission.allowed) {
    outcome.failure = StepResult::Retryable(
        "circuit_open", system + ": calls paused after repeated failures; next try in " +
                            std::to_string(admission.retry_after.count()) + " ms");
    outcome.failure.retry_after = admission.retry_after;
    return outcome;
  }

  HttpResponse response;
  for (int round = 0; round < 2; ++round) {
    std::optional<AccessToken> token;
    if (IsOAuth(connection)) {
      StepResult failure;
      HttpResponse exchange;
      token = AccessTokenFor(*connection, ctx.deadline, failure, exchange);
      if (!token) {
        breaker->Record(!IsSystemFailure(exchange), admission.probe);
        outcome.failure = std::move(failure);
        return outcome;
      }
    }
    HttpRequest http = BaseRequest(ctx, connection);
    http.method = request.method;
    std::string url = request.path;
    if (!IsAbsolute(url)) {
      const std::string& base =
          token && !token->instance_url.empty() ? token->instance_url : config->base_url;
      url = base + (url.empty() || url.front() == '/' ? "" : "/") + url;
    }
    if (!request.query.empty()) {
      url += url.find('?') == std::string::npos ? '?' : '&';
      url += FormEncode(request.query);
    }
    http.url = url;
    if (config) http.headers = config->headers;
    http.headers.emplace_back("Accept", "application/json");
    if (token) {
      http.headers.emplace_back("Authorization", "Bearer " + token->value);
    } else if (config && config->auth == AuthKind::kBearer) {
      http.headers.emplace_back("Authorization", "Bearer " + config->token);
    } else if (config && config->auth == AuthKind::kBasic) {
      http.headers.emplace_back("Authorization",
                                "Basic " + Base64Encode(config->username + ":" + config->password));
    }
    if (request.send_idempotency_key) {
      http.headers.emplace_back("Idempotency-Key", ctx.idempotency_key);
    }
    if (request.json) {
      http.headers.emplace_back("Content-Type", "application/json");
      http.body = request.json->dump();
    } else if (request.form) {
      http.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      http.body = FormEncode(*request.form, request.form_keep_brackets);
    }
    for (const auto& header : request.headers) http.headers.push_back(header);

    response = SendHttp(http);
    if (IsUnauthorized(response) && token && round == 0) {
      connection->tokens().Invalidate(token->value);  // and try once more with a fresh one
      continue;
    }
    break;
  }
  breaker->Record(!IsSystemFailure(response), admission.probe);

  const int status = response.status;
  const bool accepted = response.has_response() &&
                        (request.expected.empty()
                             ? (status >= 200 && status <= 299) ||
                                   std::find(request.also_accept.begin(), request.also_accept.end(),
                                             status) != request.also_accept.end()
                             : std::find(request.expected.begin(), request.expected.end(),
                                         status) != request.expected.end());
  if (!accepted) {
    outcome.failure = ClassifyFailure(response, ContextFor(connection, system, what));
    return outcome;
  }
  ApiResponse answer;
  answer.status = status;
  answer.headers = std::move(response.headers);
  answer.text = std::move(response.body);
  if (!answer.text.empty()) {
    answer.json = Json::parse(answer.text, nullptr, false);
    if (answer.json.is_discarded()) answer.json = nullptr;
  }
  outcome.response = std::move(answer);
  return outcome;
}

StepResult FailureFromResponse(const Connection* connection, const ApiRequest& request,
                               const ApiResponse& response) {
  HttpResponse http;
  http.status = response.status;
  http.headers = response.headers;
  http.body = response.text;
  const std::string system =
      connection ? connection->config().name : "host:" + HostOf(request.path);
  return ClassifyFailure(http, ContextFor(connection, system, request.method + " " + request.path));
}

}  // namespace sagaflow::steps
