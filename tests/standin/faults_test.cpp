// Every fault class the shared call path handles, injected through the
// stand-in's control API: retryable and final errors with the vendor's own
// codes, token expiry, rate limits with Retry-After, resets, slow answers
// beyond the timeout, and the circuit breaker.
#include <catch2/catch.hpp>
#include <thread>

#include "steps/circuit_breaker.hpp"
#include "steps/connections.hpp"
#include "tests/standin/fixture.hpp"

namespace sagaflow::standin_test {
namespace {
using Kind = StepResult::Kind;
using namespace std::chrono_literals;

StepResult GetOrg() {
  return RunStep("scalekit.get_organization", {{"organization_id", "org_seed_initech"}});
}

steps::BreakerSnapshot BreakerOf(const std::string& system) {
  for (const auto& snapshot : steps::CircuitBreakerStates()) {
    if (snapshot.system == system) return snapshot;
  }
  return {};
}

}  // namespace

TEST_CASE("5xx is retryable and carries the vendor's code", "[faults]") {
  ResetWorld();
  AddFault(
      {{"system", "scalekit"}, {"path", "/api/v1/*"}, {"status", 503}, {"message", "maintenance"}});
  const auto failed = GetOrg();
  CHECK(failed.kind == Kind::kRetryableFailure);
  CHECK(failed.error_code == "UNAVAILABLE");
  CHECK(failed.message.find("maintenance") != std::string::npos);
  CHECK_FALSE(failed.outcome_uncertain);
  CHECK_FALSE(failed.retry_after.has_value());
  MustComplete(GetOrg());  // the fault was for one request
}

TEST_CASE("other 4xx are final with the vendor's code and message", "[faults]") {
  ResetWorld();
  AddFault({{"system", "stripe"},
            {"status", 402},
            {"error_code", "card_declined"},
            {"message", "Your card was declined."}});
  const auto stripe = RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}});
  CHECK(stripe.kind == Kind::kFinalFailure);
  CHECK(stripe.error_code == "card_declined");
  CHECK(stripe.message.find("Your card was declined.") != std::string::npos);

  AddFault({{"system", "salesforce"},
            {"path", "/services/data/*"},
            {"status", 400},
            {"error_code", "FIELD_CUSTOM_VALIDATION_EXCEPTION"},
            {"message", "Industry is required"}});
  const auto salesforce = RunStep("salesforce.get_account", {{"account_id", "001000000000001AAA"}});
  CHECK(salesforce.kind == Kind::kFinalFailure);
  CHECK(salesforce.error_code == "FIELD_CUSTOM_VALIDATION_EXCEPTION");
  CHECK(salesforce.message.find("Industry is required") != std::string::npos);
}

TEST_CASE("429 is retryable and honours Retry-After", "[faults]") {
  ResetWorld();
  AddFault({{"system", "scalekit"},
            {"path", "/api/v1/*"},
            {"status", 429},
            {"headers", {{"Retry-After", "7"}}}});
  const auto limited = GetOrg();
  CHECK(limited.kind == Kind::kRetryableFailure);
  CHECK(limited.error_code == "RESOURCE_EXHAUSTED");
  REQUIRE(limited.retry_after.has_value());
  CHECK(*limited.retry_after == 7s);
}

TEST_CASE("Salesforce REQUEST_LIMIT_EXCEEDED is retryable, not soon", "[faults]") {
  ResetWorld();
  AddFault({{"system", "salesforce"},
            {"path", "/services/data/*"},
            {"status", 403},
            {"error_code", "REQUEST_LIMIT_EXCEEDED"},
            {"message", "TotalRequests Limit exceeded."}});
  const auto limited = RunStep("salesforce.get_account", {{"account_id", "001000000000001AAA"}});
  CHECK(limited.kind == Kind::kRetryableFailure);
  CHECK(limited.error_code == "REQUEST_LIMIT_EXCEEDED");
  REQUIRE(limited.retry_after.has_value());
  CHECK(*limited.retry_after == 60s);  // the connection's default without Retry-After
  AddFault({{"system", "salesforce"},
            {"path", "/services/data/*"},
            {"status", 403},
            {"error_code", "REQUEST_LIMIT_EXCEEDED"},
            {"headers", {{"Retry-After", "120"}}}});
  const auto with_header =
      RunStep("salesforce.get_account", {{"account_id", "001000000000001AAA"}});
  CHECK(*with_header.retry_after == 120s);
}

TEST_CASE("an expired token is refreshed once, then the call succeeds", "[faults]") {
  ResetWorld();
  MustComplete(GetOrg());
  CHECK(CountRequests("scalekit", "POST", "/oauth/token") == 1);
  Control("POST", "/tokens/expire", {{"system", "scalekit"}});
  MustComplete(GetOrg());
  CHECK(CountRequests("scalekit", "POST", "/oauth/token") == 2);
  // Salesforce's INVALID_SESSION_ID takes the same path.
  MustComplete(RunStep("salesforce.get_account", {{"account_id", "001000000000001AAA"}}));
  Control("POST", "/tokens/expire", {{"system", "salesforce"}});
  MustComplete(RunStep("salesforce.get_account", {{"account_id", "001000000000001AAA"}}));
  CHECK(CountRequests("salesforce", "POST", "/services/oauth2/token") == 2);
}

TEST_CASE("a 401 that survives a fresh token is final", "[faults]") {
  ResetWorld();
  AddFault({{"system", "scalekit"}, {"path", "/api/v1/*"}, {"status", 401}, {"times", 2}});
  const auto failed = GetOrg();
  CHECK(failed.kind == Kind::kFinalFailure);
  CHECK(failed.error_code == "UNAUTHENTICATED");
  CHECK(CountRequests("scalekit", "POST", "/oauth/token") == 2);
  CHECK(CountRequests("scalekit", "GET") == 2);
}

TEST_CASE("tokens the vendor says expire soon are renewed before they do", "[faults]") {
  ResetWorld();
  Control("POST", "/config", {{"token_ttl_seconds", 1}});
  MustComplete(GetOrg());
  std::this_thread::sleep_for(950ms);  // past 90% of the token's life, not past its end
  MustComplete(GetOrg());
  CHECK(CountRequests("scalekit", "POST", "/oauth/token") == 2);
  for (const auto& entry : Requests("scalekit")) CHECK(entry["status"] != 401);
}

TEST_CASE("bad client credentials fail finally with the OAuth error", "[faults]") {
  ResetWorld();
  Json connections = TestConnections(StandinUrl());
  connections["connections"]["scalekit"]["auth"]["client_secret"] = "wrong";
  const steps::EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
  steps::InstallConnections(steps::ConnectionSet::FromJson(connections, no_env));
  const auto failed = GetOrg();
  CHECK(failed.kind == Kind::kFinalFailure);
  CHECK(failed.error_code == "invalid_client");
  CHECK(failed.message.find("cannot authenticate") != std::string::npos);
}

TEST_CASE("a reset connection is retryable; after sending, the outcome is uncertain", "[faults]") {
  ResetWorld();
  AddFault({{"system", "stripe"}, {"method", "POST"}, {"reset", true}});
  const Json before = State();
  const auto reset = RunStep("stripe.update_customer",
                             {{"customer_id", "cus_demo001"}, {"metadata", {{"k1", "v"}}}});
  CHECK(reset.kind == Kind::kRetryableFailure);
  CHECK(reset.error_code == "connection_lost");
  CHECK(reset.outcome_uncertain);
  CHECK(State() == before);  // the POST was sent once, never twice
  CHECK(CountRequests("stripe", "POST") == 1);
  // A GET on a reused connection that died is simply sent again by libcurl;
  // only when every try fails does the step see it.
  AddFault({{"system", "scalekit"}, {"path", "/api/v1/*"}, {"reset", true}, {"times", -1}});
  const auto get = GetOrg();
  Control("DELETE", "/faults");
  CHECK(get.kind == Kind::kRetryableFailure);
  CHECK(get.error_code == "connection_lost");
}

TEST_CASE("a slow answer beyond the timeout is a retryable, uncertain timeout", "[faults]") {
  ResetWorld();
  AddFault({{"system", "stripe"}, {"method", "GET"}, {"delay_ms", 1500}});
  const auto started = std::chrono::steady_clock::now();
  const auto slow = RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}},
                            WithTimeout(400ms));  // the step's deadline beats the 2 s total
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(slow.kind == Kind::kRetryableFailure);
  CHECK(slow.error_code == "timeout");
  CHECK(slow.outcome_uncertain);
  CHECK(took < 1200ms);
  // A deadline already passed: nothing is sent, nothing is uncertain.
  const int before = CountRequests("stripe");
  const auto late =
      RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}}, WithTimeout(-1ms));
  CHECK(late.error_code == "timeout");
  CHECK_FALSE(late.outcome_uncertain);
  std::this_thread::sleep_for(1200ms);  // let the slow one finish before counting
  CHECK(CountRequests("stripe") == before);
}

TEST_CASE("the breaker opens after repeated failures and a probe closes it", "[faults]") {
  ResetWorld();
  AddFault({{"system", "scalekit"}, {"path", "/api/v1/*"}, {"status", 500}, {"times", 3}});
  for (int i = 0; i < 3; ++i) CHECK(GetOrg().kind == Kind::kRetryableFailure);
  CHECK(BreakerOf("scalekit").state == steps::BreakerState::kOpen);
  const int sent = CountRequests("scalekit");
  const auto refused = GetOrg();
  CHECK(refused.kind == Kind::kRetryableFailure);
  CHECK(refused.error_code == "circuit_open");
  REQUIRE(refused.retry_after.has_value());
  CHECK(*refused.retry_after <= 300ms);
  CHECK(CountRequests("scalekit") == sent);  // nothing went out
  const std::string metrics = steps::CircuitBreakerMetricsText();
  CHECK(metrics.find("sagaflow_circuit_breaker_state{system=\"scalekit\",state=\"open\"} 1") !=
        std::string::npos);
  CHECK(metrics.find("sagaflow_circuit_breaker_rejected_total{system=\"scalekit\"} 1") !=
        std::string::npos);

  std::this_thread::sleep_for(350ms);
  MustComplete(GetOrg());  // the probe
  CHECK(BreakerOf("scalekit").state == steps::BreakerState::kClosed);
  // Other systems were never affected.
  MustComplete(RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}}));
}

TEST_CASE("a failed probe opens the breaker again", "[faults]") {
  ResetWorld();
  AddFault({{"system", "stripe"}, {"status", 502}, {"times", 4}});
  for (int i = 0; i < 3; ++i) {
    RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}});
  }
  CHECK(BreakerOf("stripe").state == steps::BreakerState::kOpen);
  std::this_thread::sleep_for(350ms);
  CHECK(RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}}).error_code == "api_error");
  const auto snapshot = BreakerOf("stripe");
  CHECK(snapshot.state == steps::BreakerState::kOpen);
  CHECK(snapshot.opened_total == 2);
  CHECK(RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}}).error_code ==
        "circuit_open");
  // 4xx answers show the system is up: they never open it.
  ResetWorld();
  for (int i = 0; i < 5; ++i) RunStep("stripe.get_customer", {{"customer_id", "cus_nope"}});
  CHECK(BreakerOf("stripe").state == steps::BreakerState::kClosed);
}

TEST_CASE("a connection without credentials says what to set", "[faults]") {
  ResetWorld();
  const steps::EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
  steps::InstallConnections(steps::ConnectionSet::FromJson(nullptr, no_env));
  const auto scalekit = GetOrg();
  CHECK(scalekit.kind == Kind::kFinalFailure);
  CHECK(scalekit.error_code == "connection_not_configured");
  CHECK(scalekit.message.find("SAGAFLOW_SCALEKIT_URL") != std::string::npos);
  CHECK(scalekit.message.find("SAGAFLOW_SCALEKIT_CLIENT_SECRET") != std::string::npos);
  const auto stripe = RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}});
  CHECK(stripe.message.find("SAGAFLOW_STRIPE_API_KEY") != std::string::npos);
  CHECK(stripe.message.find("SAGAFLOW_STRIPE_URL") == std::string::npos);  // has a default
}

}  // namespace sagaflow::standin_test
