// Connections: how steps reach each outside system — its base URL, its
// credentials, timeouts and breaker settings — configured outside the
// workflow files, plus the cache of OAuth access tokens fetched for it.
//
// Sources, later ones winning:
//   1. built-in defaults per vendor (Stripe's base URL is https://api.stripe.com;
//      Scalekit, Salesforce and Workday have per-customer hosts, so none);
//   2. the JSON file named by SAGAFLOW_CONNECTIONS_FILE:
//        {"connections": {"scalekit": {"base_url": "https://acme.scalekit.dev",
//          "auth": {"type": "oauth_client_credentials", "client_id": "skc_1",
//                   "client_secret": {"env": "SCALEKIT_SECRET"}}}, …}}
//      where any credential may be a string, {"env": NAME}, {"file": PATH}
//      (the file's text, trimmed) or {"secret": KEY} (a key of the JSON file
//      named by SAGAFLOW_SECRETS_FILE);
//   3. environment variables SAGAFLOW_<NAME>_<SETTING> for a connection NAME
//      (upper-cased): URL, AUTH, TOKEN (alias API_KEY), USERNAME, PASSWORD,
//      CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_URL, SCOPE, TENANT,
//      API_VERSION, CA_FILE. Any name works, e.g. SAGAFLOW_FEATURES_URL
//      defines the connection "features". SAGAFLOW_CA_FILE is the CA file
//      of every connection that names none (default: the system store).
// Nothing works without credentials: a step on a connection that misses a
// setting fails finally with `connection_not_configured` naming what to set.
//
// Threads: a ConnectionSet is built once and then read by any thread; Find()
// and the token cache lock internally.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"
#include "engine/step.hpp"
#include "steps/circuit_breaker.hpp"
#include "steps/http_client.hpp"
#include "steps/http_errors.hpp"

namespace sagaflow::steps {

enum class AuthKind {
  kNone,
  kBearer,                  // a static token or API key (Stripe's sk_…)
  kBasic,                   // username and password
  kOAuthClientCredentials,  // Scalekit, Salesforce
  kOAuthRefreshToken,       // Workday: refresh-token grant, client in Basic auth
};
const char* AuthKindName(AuthKind kind);

struct ConnectionConfig {
  std::string name;
  Vendor vendor = Vendor::kGeneric;
  std::string base_url;  // no trailing slash
  AuthKind auth = AuthKind::kNone;
  std::string token;
  std::string username;
  std::string password;
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string token_url;  // absolute, or a path under base_url
  std::string scope;
  std::string tenant;       // Workday
  std::string api_version;  // Salesforce "62.0", Stripe-Version, Scalekit x-api-version
  HttpHeaders headers;      // sent on every call
  HttpTimeouts timeouts;
  std::size_t max_response_bytes = 8u << 20;
  std::string ca_file;
  BreakerSettings breaker;
  std::chrono::milliseconds request_limit_retry_after{60'000};
  // For token responses without expires_in (Salesforce's): reuse this long.
  std::chrono::milliseconds token_lifetime{3'600'000};

  // What is missing for the connection to be usable, as advice; "" when
  // nothing is.
  std::string MissingSettings() const;
  // The token endpoint as an absolute URL.
  std::string TokenUrl() const;
};

struct AccessToken {
  std::string value;
  std::string instance_url;  // Salesforce: where the data API lives
  std::chrono::steady_clock::time_point expires_at;
};

// Tokens of one connection: cached until shortly before they expire, and
// dropped when the system answers 401 so the next call fetches a fresh one.
class TokenCache {
 public:
  std::optional<AccessToken> Current() const;
  void Store(AccessToken token);
  // Forgets `value` if it is still the cached token (another thread may
  // have refreshed it already).
  void Invalidate(const std::string& value);
  // Held by the one thread that fetches, so concurrent callers wait for it.
  std::mutex& fetch_mutex() { return fetch_mutex_; }
  long long fetches() const;
  void CountFetch();

 private:
  mutable std::mutex mutex_;
  std::optional<AccessToken> token_;
  std::mutex fetch_mutex_;
  long long fetches_ = 0;
};

class Connection {
 public:
  explicit Connection(ConnectionConfig config) : config_(std::move(config)) {}
  const ConnectionConfig& config() const { return config_; }
  TokenCache& tokens() { return tokens_; }

 private:
  const ConnectionConfig config_;
  TokenCache tokens_;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnvironment();

class ConnectionSet {
 public:
  // SAGAFLOW_CONNECTIONS_FILE (when set) plus the environment. Throws
  // std::runtime_error naming the file and the problem.
  static std::shared_ptr<ConnectionSet> Load(const EnvLookup& env);
  // `document` is the connections file's content (null for none).
  static std::shared_ptr<ConnectionSet> FromJson(const Json& document, const EnvLookup& env);

  // The connection called `name`: from the file, or built from the
  // environment on first use. Null when nothing names it and it is not one
  // of the vendor families.
  std::shared_ptr<Connection> Find(const std::string& name);
  std::vector<std::string> Names() const;

 private:
  explicit ConnectionSet(EnvLookup env) : env_(std::move(env)) {}

  EnvLookup env_;
  Json file_entries_ = Json::object();
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Connection>> connections_;
};

// "SAGAFLOW_<NAME>_": the prefix of a connection's environment variables.
std::string EnvPrefix(const std::string& name);

// Builds one connection's settings from a file entry (or null) and the
// environment. Throws std::runtime_error for a malformed entry.
ConnectionConfig BuildConnectionConfig(const std::string& name, const Json& entry,
                                       const EnvLookup& env);

// A token for an OAuth connection: the cached one, or fetched now (by one
// thread; others wait and share it), bounded by `deadline`. On failure,
// `failure` is the step result (retryable for network trouble and 5xx,
// final when the credentials are refused) and `exchange` holds the token
// endpoint's answer, for the circuit breaker.
std::optional<AccessToken> AccessTokenFor(Connection& connection, std::optional<TimePoint> deadline,
                                          StepResult& failure, HttpResponse& exchange);

// The process-wide connections, loaded from the environment on first use.
// When loading failed, returns null and sets `error`.
std::shared_ptr<ConnectionSet> Connections(std::string* error);
// Loads them now (for start-up, so a bad file stops the process early) and
// installs them; returns the problem, if any.
std::optional<std::string> LoadConnectionsFromEnvironment();
// Replaces the process-wide set (tests; a reload).
void InstallConnections(std::shared_ptr<ConnectionSet> connections);

}  // namespace sagaflow::steps
