// customer_onboarding end to end against the stand-in: the happy path, a
// retried fault, a failing notification, and a final failure at each step
// position rolling back exactly the completed steps, leaving the stand-in's
// state as it was.
#include <catch2/catch.hpp>

#include "tests/standin/e2e/world.hpp"

namespace sagaflow::standin_test {
namespace {

const Json kInput{{"company_name", "Acme Corp"},
                  {"admin_email", "Ada@Acme.example"},
                  {"admin_first_name", "Ada"},
                  {"stripe_customer_id", "cus_demo001"},
                  {"salesforce_account_id", "001000000000001AAA"},
                  {"plan_type", "pro"}};

}  // namespace

TEST_CASE("customer_onboarding links Scalekit, Salesforce and Stripe", "[e2e][onboarding]") {
  auto engine = StartEngine();
  const RunRecord run = RunToEnd(*engine, "customer_onboarding", kInput);
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  const Json state = State();

  const Json org = OrgByExternalId(state, "cus_demo001");
  REQUIRE(org.is_object());
  CHECK(org["display_name"] == "Acme Corp");
  CHECK(org["metadata"] == Json{{"plan_type", "pro"},
                                {"onboarding_status", "pending"},
                                {"salesforce_account_id", "001000000000001AAA"}});
  CHECK(run.output["organization_id"] == org["id"]);

  const Json admin = UserByExternalId(state, "cus_demo001:ada@acme.example");
  REQUIRE(admin.is_object());
  CHECK(run.output["admin_user_id"] == admin["id"]);
  REQUIRE(admin["memberships"].size() == 1);
  CHECK(admin["memberships"][0]["organization_id"] == org["id"]);
  CHECK(admin["memberships"][0]["roles"] == Json::array({{{"name", "admin"}}}));
  CHECK(admin["user_profile"] == Json{{"given_name", "Ada"}});

  const Json account = RecordById(state["salesforce"]["accounts"], "Id", "001000000000001AAA");
  CHECK(account["Scalekit_Organization_ID__c"] == org["id"]);
  CHECK(account["Scalekit_Admin_User_ID__c"] == admin["id"]);
  CHECK(account["Onboarding_Status__c"] == "In Progress");

  const Json customer = RecordById(state["stripe"]["customers"], "id", "cus_demo001");
  CHECK(customer["metadata"] ==
        Json{{"scalekit_org_id", org["id"]}, {"scalekit_admin_user_id", admin["id"]}});

  const Json notes = Requests("hooks");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["path"] == "/hooks/onboarding");
  const Json note = Json::parse(notes[0]["body"].get<std::string>());
  CHECK(note["organization_id"] == org["id"]);
  CHECK(note["event"] == "customer_onboarded");
  // Stripe got the step's own idempotency key.
  for (const auto& entry : Requests("stripe")) {
    if (entry["method"] == "POST") {
      CHECK(entry["headers"]["idempotency-key"].get<std::string>().find("link_stripe") !=
            std::string::npos);
    }
  }
}

TEST_CASE("customer_onboarding rides out retryable faults", "[e2e][onboarding]") {
  auto engine = StartEngine();
  AddFault({{"system", "scalekit"},
            {"method", "POST"},
            {"path", "/api/v1/organizations"},
            {"status", 503}});
  AddFault({{"system", "salesforce"},
            {"method", "PATCH"},
            {"status", 429},
            {"headers", {{"Retry-After", "1"}}}});
  const RunRecord run = RunToEnd(*engine, "customer_onboarding", kInput);
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  CHECK(StepsWith(*engine, run.id, "attempt_failed") ==
        std::vector<std::string>{"create_org", "link_salesforce"});
  int orgs = 0;
  const Json state = State();
  for (const auto& org : state["scalekit"]["organizations"])
    orgs += org.value("external_id", "") == "cus_demo001";
  CHECK(orgs == 1);
}

TEST_CASE("customer_onboarding: a failing notification rolls nothing back", "[e2e][onboarding]") {
  auto engine = StartEngine();
  AddFault({{"system", "hooks"}, {"status", 400}, {"message", "no such channel"}});
  const RunRecord run = RunToEnd(*engine, "customer_onboarding", kInput);
  CHECK(run.status == "completed");
  CHECK(OrgByExternalId(State(), "cus_demo001").is_object());
  CHECK(StepsWith(*engine, run.id, "compensation_completed").empty());
}

TEST_CASE("customer_onboarding failing at each step rolls back exactly what was done",
          "[e2e][onboarding][rollback]") {
  struct Position {
    std::string step;
    Json fault;
    std::vector<std::string> undone;  // compensations, in order
  };
  const std::vector<Position> positions = {
      {"create_org",
       {{"system", "scalekit"},
        {"method", "POST"},
        {"path", "/api/v1/organizations"},
        {"status", 400},
        {"message", "display_name is reserved"}},
       {}},
      {"create_admin",
       {{"system", "scalekit"},
        {"method", "POST"},
        {"path", "/api/v1/organizations/*/users"},
        {"status", 400},
        {"message", "email domain blocked"}},
       {"create_org"}},
      {"link_salesforce",
       {{"system", "salesforce"},
        {"method", "PATCH"},
        {"status", 400},
        {"error_code", "FIELD_CUSTOM_VALIDATION_EXCEPTION"}},
       {"create_admin", "create_org"}},
      {"link_stripe",
       {{"system", "stripe"},
        {"method", "POST"},
        {"status", 400},
        {"error_code", "parameter_invalid_string"}},
       {"link_salesforce", "create_admin", "create_org"}},
  };
  auto engine = StartEngine();
  for (const auto& position : positions) {
    DYNAMIC_SECTION("failing at " << position.step) {
      ResetWorld();
      const Json before = State();
      AddFault(position.fault);
      const RunRecord run = RunToEnd(*engine, "customer_onboarding", kInput);
      INFO(run.error.dump());
      CHECK(run.status == "compensated");
      CHECK(StepsWith(*engine, run.id, "step_failed") == std::vector<std::string>{position.step});
      CHECK(StepsWith(*engine, run.id, "compensation_completed") == position.undone);
      CHECK(State() == before);
      CHECK(Requests("hooks").empty());  // the notification never went out
    }
  }
}

}  // namespace sagaflow::standin_test
