// salesforce.*, stripe.* and workday.* step types against the stand-in.
#include <catch2/catch.hpp>

#include "tests/standin/fixture.hpp"

namespace sagaflow::standin_test {
namespace {
using Kind = StepResult::Kind;
const char* kAccount = "001000000000001AAA";
}  // namespace

TEST_CASE("salesforce.get_account reads the fields asked for", "[salesforce]") {
  ResetWorld();
  const Json account = MustComplete(RunStep(
      "salesforce.get_account", {{"account_id", kAccount}, {"fields", {"Name", "Industry"}}}));
  CHECK(account["Id"] == kAccount);
  CHECK(account["Name"] == "Acme Corp");
  CHECK(account["Industry"] == "Manufacturing");
  CHECK_FALSE(account.contains("AnnualRevenue"));
  const Json all = MustComplete(RunStep("salesforce.get_account", {{"account_id", kAccount}}));
  CHECK(all["Owner"]["Name"] == "Dana Seller");
  // The token answer named the instance; data calls go to /services/data/v62.0.
  bool versioned = false;
  for (const auto& entry : Requests("salesforce")) {
    versioned =
        versioned || entry["path"].get<std::string>().rfind("/services/data/v62.0/", 0) == 0;
  }
  CHECK(versioned);
}

TEST_CASE("salesforce.update_account returns previous values and can be undone", "[salesforce]") {
  ResetWorld();
  const Json before = State();
  const Json result = MustComplete(
      RunStep("salesforce.update_account",
              {{"account_id", kAccount},
               {"fields", {{"Scalekit_Org_Id__c", "org_1"}, {"Industry", "Software"}}}}));
  CHECK(result["previous"] == Json{{"Scalekit_Org_Id__c", nullptr}, {"Industry", "Manufacturing"}});
  const Json changed = MustComplete(RunStep(
      "salesforce.get_account", {{"account_id", kAccount}, {"fields", {"Scalekit_Org_Id__c"}}}));
  CHECK(changed["Scalekit_Org_Id__c"] == "org_1");
  MustComplete(RunStep("salesforce.update_account",
                       {{"account_id", kAccount}, {"fields", result["previous"]}}));
  CHECK(State() == before);
}

TEST_CASE("salesforce contacts", "[salesforce]") {
  ResetWorld();
  const Json contact =
      MustComplete(RunStep("salesforce.get_contact", {{"contact_id", "003000000000001AAA"},
                                                      {"fields", {"Title", "Department"}}}));
  CHECK(contact["Title"] == "CTO");
  const Json updated =
      MustComplete(RunStep("salesforce.update_contact",
                           {{"contact_id", "003000000000001AAA"}, {"fields", {{"Title", "CEO"}}}}));
  CHECK(updated["previous"] == Json{{"Title", "CTO"}});
  const auto missing = RunStep("salesforce.get_contact", {{"contact_id", "003000000000009AAA"}});
  CHECK(missing.kind == Kind::kFinalFailure);
  CHECK(missing.error_code == "NOT_FOUND");
}

TEST_CASE("stripe.update_customer sends form metadata with the step's idempotency key",
          "[stripe]") {
  ResetWorld();
  const Json before = State();
  StepRun run;
  run.idempotency_key = "run_1:link_stripe:forward";
  const Json result =
      MustComplete(RunStep("stripe.update_customer",
                           {{"customer_id", "cus_demo002"},
                            {"metadata", {{"scalekit_org_id", "org_1"}, {"segment", "smb"}}}},
                           run));
  CHECK(result["metadata"] == Json{{"scalekit_org_id", "org_1"}, {"segment", "smb"}});
  // "" for keys that did not exist, so passing it back deletes them.
  CHECK(result["previous_metadata"] == Json{{"scalekit_org_id", ""}, {"segment", "enterprise"}});
  Json post;
  for (const auto& entry : Requests("stripe")) {
    if (entry["method"] == "POST") post = entry;
  }
  REQUIRE(post.is_object());
  CHECK(post["headers"]["idempotency-key"] == "run_1:link_stripe:forward");
  CHECK(post["headers"]["content-type"] == "application/x-www-form-urlencoded");
  CHECK(post["headers"]["stripe-version"] == "2026-11-18.endive");
  CHECK(post["body"] == "metadata[scalekit_org_id]=org_1&metadata[segment]=smb");

  StepRun undo;
  undo.idempotency_key = "run_1:link_stripe:compensate";
  MustComplete(RunStep("stripe.update_customer",
                       {{"customer_id", "cus_demo002"}, {"metadata", result["previous_metadata"]}},
                       undo));
  CHECK(State() == before);
}

TEST_CASE("stripe replays a repeated attempt instead of applying it twice", "[stripe]") {
  ResetWorld();
  const Json params{{"customer_id", "cus_demo001"}, {"metadata", {{"scalekit_org_id", "org_9"}}}};
  // The first answer is lost on the way back.
  AddFault({{"system", "stripe"}, {"method", "POST"}, {"reset", "after"}});
  const auto first = RunStep("stripe.update_customer", params);
  CHECK(first.kind == Kind::kRetryableFailure);
  CHECK(first.outcome_uncertain);
  const Json second =
      MustComplete(RunStep("stripe.update_customer", params, Attempt(2, Clock::now())));
  CHECK(second["idempotent_replayed"] == true);
  CHECK(second["metadata"]["scalekit_org_id"] == "org_9");
}

TEST_CASE("stripe errors carry Stripe's code", "[stripe]") {
  ResetWorld();
  const auto missing = RunStep("stripe.get_customer", {{"customer_id", "cus_missing"}});
  CHECK(missing.kind == Kind::kFinalFailure);
  CHECK(missing.error_code == "resource_missing");
  CHECK(missing.message.find("No such customer") != std::string::npos);
  const auto customer =
      MustComplete(RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}}));
  CHECK(customer["email"] == "billing@acme.example");
}

TEST_CASE("stripe.get_subscription reads the period end from the item first", "[stripe]") {
  ResetWorld();
  Control(
      "POST", "/seed",
      {{"stripe",
        {{"subscriptions",
          {{{"id", "sub_old"},
            {"customer", "cus_demo001"},
            {"status", "active"},
            {"current_period_end", 1700000000},
            {"items", {{"data", {{{"id", "si_1"}, {"price", {{"lookup_key", nullptr}}}}}}}}},
           {{"id", "sub_new"},
            {"customer", "cus_demo001"},
            {"status", "active"},
            {"current_period_end", 1700000000},
            {"items", {{"data", {{{"id", "si_2"}, {"current_period_end", 1800000000}}}}}}}}}}}});
  CHECK(MustComplete(RunStep("stripe.get_subscription",
                             {{"subscription_id", "sub_old"}}))["current_period_end"] ==
        1700000000);
  CHECK(MustComplete(RunStep("stripe.get_subscription",
                             {{"subscription_id", "sub_new"}}))["current_period_end"] ==
        1800000000);
  const Json demo =
      MustComplete(RunStep("stripe.get_subscription", {{"subscription_id", "sub_demo001"}}));
  CHECK(demo["items"]["data"][0]["price"]["lookup_key"] == "pro_monthly");
}

TEST_CASE("workday.get_worker uses the refresh-token grant", "[workday]") {
  ResetWorld();
  const Json worker = MustComplete(RunStep("workday.get_worker", {{"worker_id", "21001"}}));
  CHECK(worker["primaryWorkEmail"] == "peter@initech.example");
  Json token;
  for (const auto& entry : Requests("workday")) {
    if (entry["method"] == "POST") token = entry;
  }
  REQUIRE(token.is_object());
  CHECK(token["path"] == "/ccx/oauth2/acme/token");
  CHECK(token["headers"]["authorization"].get<std::string>().rfind("Basic ", 0) == 0);
  CHECK(token["body"].get<std::string>().find("grant_type=refresh_token") != std::string::npos);
  const auto missing = RunStep("workday.get_worker", {{"worker_id", "99999"}});
  CHECK(missing.kind == Kind::kFinalFailure);
  CHECK(missing.error_code == "not_found");
}

TEST_CASE("http.request with a connection, JSON body and idempotency key", "[http]") {
  ResetWorld();
  StepRun run;
  run.idempotency_key = "run_7:notify:forward";
  const Json output = MustComplete(RunStep("http.request",
                                           {{"method", "post"},
                                            {"url", "/notify"},
                                            {"connection", "hooks"},
                                            {"json", {{"organization_id", "org_1"}}},
                                            {"query", {{"source", "sagaflow"}}},
                                            {"headers", {{"X-Trace", "abc"}}},
                                            {"expected_status", {200}},
                                            {"idempotency_key", true}},
                                           run));
  CHECK(output["status"] == 200);
  CHECK(output["body"] == Json{{"ok", true}});
  CHECK(output["headers"]["content-type"] == "application/json");
  const Json entry = Requests("hooks").back();
  CHECK(entry["path"] == "/hooks/notify");
  CHECK(entry["query"]["source"] == "sagaflow");
  CHECK(entry["headers"]["authorization"] == "Bearer hook-token");
  CHECK(entry["headers"]["idempotency-key"] == "run_7:notify:forward");
  CHECK(entry["headers"]["x-trace"] == "abc");
  CHECK(Json::parse(entry["body"].get<std::string>()) == Json{{"organization_id", "org_1"}});
}

TEST_CASE("http.request with a bare URL and a form body", "[http]") {
  ResetWorld();
  const Json output =
      MustComplete(RunStep("http.request", {{"method", "PUT"},
                                            {"url", StandinUrl() + "/hooks/form"},
                                            {"form", {{"a", "1 2"}, {"b", "x&y"}}}}));
  CHECK(output["status"] == 200);
  const Json entry = Requests("hooks").back();
  CHECK(entry["method"] == "PUT");
  CHECK(entry["body"] == "a=1%202&b=x%26y");
  CHECK_FALSE(entry["headers"].contains("authorization"));
}

TEST_CASE("http.request: unexpected statuses and misuse", "[http]") {
  ResetWorld();
  const auto unexpected =
      RunStep("http.request", {{"url", StandinUrl() + "/hooks/x"}, {"expected_status", {201}}});
  CHECK(unexpected.kind == Kind::kFinalFailure);
  CHECK(unexpected.error_code == "http_200");
  const auto relative = RunStep("http.request", {{"url", "/no/base"}});
  CHECK(relative.error_code == "bad_parameter");
  const auto elsewhere =
      RunStep("http.request", {{"url", "http://example.invalid/steal"}, {"connection", "hooks"}});
  CHECK(elsewhere.error_code == "bad_parameter");
  const auto unknown = RunStep("http.request", {{"url", "/x"}, {"connection", "no_such_one"}});
  CHECK(unknown.error_code == "connection_not_configured");
  const auto premium =
      MustComplete(RunStep("http.request", {{"method", "PUT"},
                                            {"url", "/organizations/org_1/premium"},
                                            {"connection", "features"},
                                            {"json", {{"enabled", true}}}}));
  CHECK(premium["body"]["enabled"] == true);
}

}  // namespace sagaflow::standin_test
