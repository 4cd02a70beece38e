// stripe_subscription_updated and stripe_customer_deleted end to end against
// the stand-in, and their webhook triggers' input mapping.
#include <catch2/catch.hpp>

#include "engine/loader.hpp"
#include "steps/builtin_steps.hpp"
#include "tests/standin/e2e/world.hpp"

namespace sagaflow::standin_test {
namespace {

Json Premium(const std::string& org) {
  const Json state = State();
  for (const auto& entry : state["features"]) {
    if (entry["organization_id"] == org) return entry["enabled"];
  }
  return nullptr;
}

// What a webhook trigger of `file` makes of `event`.
Json TriggerInput(const std::string& file, const Json& event) {
  const auto loaded = LoadDefinitionFile(std::string(SAGAFLOW_SOURCE_DIR) + "/workflows/" + file,
                                         BuiltinStepRegistry());
  REQUIRE(loaded.definition);
  for (const auto& trigger : loaded.definition->triggers) {
    if (trigger.kind != Trigger::Kind::kWebhook) continue;
    const Json scope{{"event", event}, {"env", Json::object()}};
    const EvalContext ctx{scope, [] { return Clock::now(); }};
    auto input = trigger.webhook.input.render(ctx);
    REQUIRE(input);
    return std::move(input).value();
  }
  FAIL("no webhook trigger in " << file);
  return nullptr;
}

}  // namespace

TEST_CASE("stripe_subscription_updated mirrors the subscription and switches premium",
          "[e2e][billing]") {
  auto engine = StartEngine();
  // org_seed_initech has external id cus_demo003 in the demo data.
  const RunRecord active = RunToEnd(*engine, "stripe_subscription_updated",
                                    {{"customer_id", "cus_demo003"},
                                     {"status", "active"},
                                     {"plan", "pro_monthly"},
                                     {"period_end", 1800000000}});
  INFO(active.error.dump());
  REQUIRE(active.status == "completed");
  CHECK(active.output["found"] == true);
  const Json org = OrgByExternalId(State(), "cus_demo003");
  CHECK(org["metadata"]["subscription_status"] == "active");
  CHECK(org["metadata"]["plan_type"] == "pro_monthly");
  CHECK(org["metadata"]["period_end"] == "1800000000");
  CHECK(org["metadata"]["billing_updated_at"].get<std::string>().size() == 24);
  CHECK(Premium("org_seed_initech") == true);

  const RunRecord canceled = RunToEnd(*engine, "stripe_subscription_updated",
                                      {{"customer_id", "cus_demo003"},
                                       {"status", "canceled"},
                                       {"plan", "pro_monthly"},
                                       {"period_end", 1800000000}});
  REQUIRE(canceled.status == "completed");
  CHECK(OrgByExternalId(State(), "cus_demo003")["metadata"]["subscription_status"] == "canceled");
  CHECK(Premium("org_seed_initech") == false);

  // past_due: metadata only, premium untouched.
  Control("POST", "/seed", {{"features", {{"org_seed_initech", {{"enabled", true}}}}}});
  const RunRecord past_due = RunToEnd(*engine, "stripe_subscription_updated",
                                      {{"customer_id", "cus_demo003"}, {"status", "past_due"}});
  REQUIRE(past_due.status == "completed");
  CHECK(Premium("org_seed_initech") == true);
  CHECK(OrgByExternalId(State(), "cus_demo003")["metadata"]["plan_type"] == "unknown");
}

TEST_CASE("stripe_subscription_updated ignores customers without an organization",
          "[e2e][billing]") {
  auto engine = StartEngine();
  const Json before = State();
  const RunRecord run = RunToEnd(*engine, "stripe_subscription_updated",
                                 {{"customer_id", "cus_unknown1"}, {"status", "active"}});
  REQUIRE(run.status == "completed");
  CHECK(run.output["found"] == false);
  CHECK(State() == before);
}

TEST_CASE("stripe_subscription_updated rolls the metadata back when premium fails",
          "[e2e][billing][rollback]") {
  auto engine = StartEngine();
  const Json before = State();
  AddFault(
      {{"system", "features"}, {"method", "PUT"}, {"status", 403}, {"message", "plan locked"}});
  const RunRecord run = RunToEnd(*engine, "stripe_subscription_updated",
                                 {{"customer_id", "cus_demo003"}, {"status", "active"}});
  CHECK(run.status == "compensated");
  CHECK(StepsWith(*engine, run.id, "compensation_completed") ==
        std::vector<std::string>{"update_billing"});
  CHECK(State() == before);
}

TEST_CASE("stripe_customer_deleted marks the organization and turns premium off",
          "[e2e][billing]") {
  auto engine = StartEngine();
  Control("POST", "/seed", {{"features", {{"org_seed_initech", {{"enabled", true}}}}}});
  const RunRecord run =
      RunToEnd(*engine, "stripe_customer_deleted", {{"customer_id", "cus_demo003"}});
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  const Json org = OrgByExternalId(State(), "cus_demo003");
  CHECK(org["metadata"]["billing_status"] == "deleted");
  CHECK(org["metadata"]["plan_type"] == "pro");  // kept
  CHECK(Premium("org_seed_initech") == false);
}

TEST_CASE("the Stripe webhook triggers map events to inputs", "[e2e][billing]") {
  const Json item_era = Json::parse(R"({"id":"evt_1","type":"customer.subscription.updated",
    "data":{"object":{"id":"sub_1","customer":"cus_demo003","status":"active",
      "items":{"object":"list","data":[{"id":"si_1","price":{"id":"price_1","lookup_key":"pro_monthly"},
        "current_period_end":1800000000}]}}}})");
  CHECK(TriggerInput("stripe_subscription_updated.yaml", item_era) ==
        Json{{"customer_id", "cus_demo003"},
             {"subscription_id", "sub_1"},
             {"status", "active"},
             {"plan", "pro_monthly"},
             {"period_end", 1800000000}});
  // Older API versions: the period end on the subscription, no lookup key.
  const Json old_era = Json::parse(R"({"id":"evt_2","type":"customer.subscription.updated",
    "data":{"object":{"id":"sub_2","customer":"cus_demo003","status":"canceled",
      "current_period_end":1700000000,
      "items":{"object":"list","data":[{"id":"si_2","price":{"id":"price_2","lookup_key":null}}]}}}})");
  const Json old_input = TriggerInput("stripe_subscription_updated.yaml", old_era);
  CHECK(old_input["period_end"] == 1700000000);
  CHECK(old_input["plan"] == "price_2");
  const Json deleted = Json::parse(
      R"({"id":"evt_3","type":"customer.deleted","data":{"object":{"id":"cus_123","object":"customer"}}})");
  CHECK(TriggerInput("stripe_customer_deleted.yaml", deleted) == Json{{"customer_id", "cus_123"}});
}

}  // namespace sagaflow::standin_test
