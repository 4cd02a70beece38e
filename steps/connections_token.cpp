// Fetching OAuth access tokens for a connection: the client-credentials
// grant (Scalekit, Salesforce) or the refresh-token grant with the client in
// Basic auth (Workday); one thread fetches while the others wait for it.
#include <cstdlib>

#include "steps/connections.hpp"
#include "steps/http_errors.hpp"

namespace sagaflow::steps {

using SteadyClock = std::chrono::steady_clock;

std::optional<AccessToken> AccessTokenFor(Connection& connection, std::optional<TimePoint> deadline,
                                          StepResult& failure, HttpResponse& exchange) {
  TokenCache& cache = connection.tokens();
  if (auto token = cache.Current()) return token;
  std::lock_guard fetching(cache.fetch_mutex());
  if (auto token = cache.Current()) return token;  // another thread just fetched it

  const ConnectionConfig& config = connection.config();
  HttpRequest http;
  http.deadline = deadline;
  http.timeouts = config.timeouts;
  http.max_response_bytes = config.max_response_bytes;
  http.ca_file = config.ca_file;
  http.method = "POST";
  http.url = config.TokenUrl();
  http.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                  {"Accept", "application/json"}};
  std::vector<std::pair<std::string, std::string>> form;
  if (config.auth == AuthKind::kOAuthRefreshToken) {
    form = {{"grant_type", "refresh_token"}, {"refresh_token", config.refresh_token}};
    http.headers.emplace_back(
        "Authorization", "Basic " + Base64Encode(config.client_id + ":" + config.client_secret));
  } else {
    form = {{"grant_type", "client_credentials"},
            {"client_id", config.client_id},
            {"client_secret", config.client_secret}};
  }
  if (!config.scope.empty()) form.emplace_back("scope", config.scope);
  http.body = FormEncode(form);

  cache.CountFetch();
  exchange = SendHttp(http);
  ErrorContext context;
  context.vendor = config.vendor;
  context.system = config.name;
  context.what = "token request";
  if (!exchange.has_response() || exchange.status < 200 || exchange.status > 299) {
    failure = ClassifyFailure(exchange, context);
    if (failure.kind == StepResult::Kind::kFinalFailure) {
      failure.message = "cannot authenticate: " + failure.message;
    }
    return std::nullopt;
  }
  const Json body = Json::parse(exchange.body, nullptr, false);
  if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string()) {
    failure =
        StepResult::Final("auth_failed", config.name + ": the token response has no access_token");
    return std::nullopt;
  }
  AccessToken token;
  token.value = body["access_token"].get<std::string>();
  token.instance_url = body.value("instance_url", "");
  while (!token.instance_url.empty() && token.instance_url.back() == '/') {
    token.instance_url.pop_back();
  }
  std::chrono::milliseconds lifetime = config.token_lifetime;
  if (auto it = body.find("expires_in"); it != body.end()) {
    long long seconds = -1;
    if (it->is_number()) seconds = it->get<long long>();
    if (it->is_string()) seconds = std::atoll(it->get<std::string>().c_str());
    if (seconds >= 0) {
      // Renew a little early: a minute, or a tenth of a short lifetime.
      const auto full = std::chrono::milliseconds(seconds * 1000);
      lifetime = full - std::min<std::chrono::milliseconds>(std::chrono::seconds(60), full / 10);
    }
  }
  token.expires_at = SteadyClock::now() + lifetime;
  cache.Store(token);
  return token;
}

}  // namespace sagaflow::steps
