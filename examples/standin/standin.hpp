// The stand-in: one in-memory fake of Scalekit, Salesforce, Stripe and
// Workday (plus a premium-features endpoint and a catch-all hook sink) behind
// one HTTP port, with a control API for tests and demos.
//
//   /oauth/token, /api/v1/…           Scalekit      (scalekit_api.cpp)
//   /services/…                       Salesforce    (salesforce_api.cpp)
//   /v1/…                             Stripe        (stripe_api.cpp)
//   /ccx/…                            Workday       (workday_api.cpp)
//   /features/…                       premium features of an organization
//   /hooks/…                          accepts anything, answers {"ok": true}
//   /_control/…                       faults, request log, state, webhooks (control.cpp)
//
// Every vendor request is logged and first checked against the injected
// faults. Handle() is called from one thread per connection; all state is
// behind one mutex, which no handler holds while sleeping or sending.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "examples/standin/http_types.hpp"

namespace sagaflow::standin {

// The credentials the stand-in accepts (see README.md).
struct Credentials {
  static constexpr const char* kScalekitClientId = "skc_standin";
  static constexpr const char* kScalekitClientSecret = "standin-secret";
  static constexpr const char* kSalesforceClientId = "sf_standin";
  static constexpr const char* kSalesforceClientSecret = "standin-secret";
  static constexpr const char* kStripeApiKey = "sk_test_standin";
  static constexpr const char* kWorkdayClientId = "wd_standin";
  static constexpr const char* kWorkdayClientSecret = "standin-secret";
  static constexpr const char* kWorkdayRefreshToken = "standin-refresh-token";
};

struct Fault {
  int id = 0;
  std::string system;        // "" matches any
  std::string method;        // "" matches any
  std::string path;          // glob over the path; "" matches any
  int times = 1;             // requests it still applies to; -1: until cleared
  int status = 0;            // 0: no error answer (delay or reset only)
  std::optional<Json> body;  // default: the vendor's error shape for the status
  std::string error_code;
  std::string message;
  Pairs headers;
  int delay_ms = 0;
  std::string reset;  // "" | "before" (no effect happens) | "after" (the effect happens)
  Json ToJson() const;
};

class StandIn {
 public:
  explicit StandIn(bool seed_default_data);
  Response Handle(Request request);

 private:
  struct Token {
    std::string system;
    long long expires_at = 0;  // unix seconds
  };
  struct Replay {
    std::string fingerprint;
    int status = 0;
    std::string body;
  };

  // control.cpp
  Response Control(const Request& request);
  Response SendStripeWebhook(const Json& spec);  // without the lock
  void ResetLocked(bool seed);
  void SeedLocked(const Json& data);
  Json StateLocked(bool timestamps) const;
  std::optional<Fault> TakeFaultLocked(const std::string& system, const Request& request);
  Response FaultResponse(const std::string& system, const Fault& fault) const;

  // vendor files
  Response Scalekit(const Request& request);
  Response ScalekitOrganizations(const Request& request);
  Response ScalekitUsers(const Request& request);
  Response ScalekitMemberships(const Request& request);
  Response Salesforce(const Request& request);
  Response Stripe(const Request& request);
  Response Workday(const Request& request);
  Response Features(const Request& request);

  std::string IssueToken(const std::string& system, long long ttl_seconds);
  bool BearerValid(const std::string& system, const Request& request) const;
  std::string NextId(const std::string& prefix);
  Json ScalekitUserJson(const std::string& id) const;

  const bool seed_default_;
  mutable std::mutex mutex_;
  long long counter_ = 0;
  long long token_ttl_override_ = -1;

  // Scalekit
  std::map<std::string, Json> orgs_;
  std::map<std::string, std::vector<Json>> domains_;  // by organization id
  std::map<std::string, Json> users_;
  std::map<std::pair<std::string, std::string>, Json> memberships_;  // (org, user)
  // Salesforce
  std::map<std::string, Json> accounts_;
  std::map<std::string, Json> contacts_;
  // Stripe
  std::map<std::string, Json> customers_;
  std::map<std::string, Json> subscriptions_;
  std::map<std::string, Replay> idempotency_;
  // Workday
  std::map<std::string, Json> workers_;
  // Premium features, by organization id
  std::map<std::string, Json> features_;

  std::map<std::string, Token> tokens_;
  std::vector<Fault> faults_;
  int next_fault_id_ = 1;
  std::vector<Json> log_;
  long long log_seq_ = 0;
};

// Scalekit's gRPC-status JSON error body.
Json ScalekitError(int http_status, const std::string& message, const std::string& error_code = "");
// Salesforce's error array.
Json SalesforceError(const std::string& code, const std::string& message);
// Stripe's error object.
Json StripeError(const std::string& type, const std::string& code, const std::string& message,
                 const std::string& param = "");

}  // namespace sagaflow::standin
