// The CRM and HR workflows end to end against the stand-in.
#include <catch2/catch.hpp>

#include "tests/standin/e2e/world.hpp"

namespace sagaflow::standin_test {

TEST_CASE("crm_account_sync copies Account fields into the organization", "[e2e][crm]") {
  auto engine = StartEngine();
  Control("POST", "/seed",
          {{"scalekit",
            {{"organizations",
              {{{"id", "org_globex"},
                {"display_name", "Globex"},
                {"external_id", "cus_demo002"},
                {"metadata", {{"salesforce_account_id", "001000000000002AAA"}}}}}}}}});
  const RunRecord run = RunToEnd(*engine, "crm_account_sync", {{"organization_id", "org_globex"}});
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  CHECK(run.output["synced"] == true);
  const Json org = OrgByExternalId(State(), "cus_demo002");
  CHECK(org["metadata"]["industry"] == "Energy");
  CHECK(org["metadata"]["account_type"] == "Enterprise");
  CHECK(org["metadata"].contains("crm_synced_at"));

  // An organization without a linked Account: nothing to do.
  const RunRecord unlinked =
      RunToEnd(*engine, "crm_account_sync", {{"organization_id", "org_seed_initech"}});
  REQUIRE(unlinked.status == "completed");
  CHECK(unlinked.output["synced"] == false);
  // Or linked by the caller.
  const RunRecord given = RunToEnd(
      *engine, "crm_account_sync",
      {{"organization_id", "org_seed_initech"}, {"salesforce_account_id", "001000000000001AAA"}});
  REQUIRE(given.status == "completed");
  CHECK(OrgByExternalId(State(), "cus_demo003")["metadata"]["industry"] == "Manufacturing");
}

TEST_CASE("crm_contact_sync copies Contact fields into the user", "[e2e][crm]") {
  auto engine = StartEngine();
  Control("POST", "/seed",
          {{"scalekit",
            {{"users",
              {{{"id", "usr_ada"},
                {"email", "ada@acme.example"},
                {"external_id", "ada"},
                {"memberships",
                 {{{"organization_id", "org_seed_initech"}, {"roles", {"member"}}}}}}}}}}});
  const RunRecord run =
      RunToEnd(*engine, "crm_contact_sync",
               {{"user_id", "usr_ada"}, {"salesforce_contact_id", "003000000000001AAA"}});
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  const Json user = UserByExternalId(State(), "ada");
  CHECK(user["metadata"]["salesforce_contact_id"] == "003000000000001AAA");
  CHECK(user["metadata"]["job_title"] == "CTO");
  CHECK(user["metadata"]["department"] == "Engineering");
  CHECK(user["metadata"]["territory"] == "EMEA");
}

TEST_CASE("crm_update_from_scalekit writes the organization into its Account", "[e2e][crm]") {
  auto engine = StartEngine();
  Control(
      "POST", "/seed",
      {{"scalekit",
        {{"organizations",
          {{{"id", "org_acme"},
            {"display_name", "Acme Corp"},
            {"external_id", "cus_demo001"},
            {"metadata",
             {{"salesforce_account_id", "001000000000001AAA"}, {"plan_type", "enterprise"}}}}}}}}});
  const RunRecord run =
      RunToEnd(*engine, "crm_update_from_scalekit", {{"organization_id", "org_acme"}});
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  const Json account = RecordById(State()["salesforce"]["accounts"], "Id", "001000000000001AAA");
  CHECK(account["Scalekit_Organization_ID__c"] == "org_acme");
  CHECK(account["Subscription_Status__c"] == "enterprise");
  CHECK(account.contains("Last_Login_Date__c"));
}

TEST_CASE("hr_employee_onboarding creates the employee in their domain's organization",
          "[e2e][hr]") {
  auto engine = StartEngine();
  const RunRecord run = RunToEnd(*engine, "hr_employee_onboarding",
                                 {{"employee_id", "21001"},
                                  {"email", "peter@initech.example"},
                                  {"first_name", "Peter"},
                                  {"last_name", "Gibbons"},
                                  {"department", "Engineering"},
                                  {"start_date", "2027-01-04"}});
  INFO(run.error.dump());
  REQUIRE(run.status == "completed");
  const Json user = UserByExternalId(State(), "21001");
  REQUIRE(user.is_object());
  CHECK(user["memberships"][0]["organization_id"] == "org_seed_initech");
  CHECK(user["memberships"][0]["membership_status"] == "PENDING_INVITE");
  CHECK(user["metadata"]["hr_employee_id"] == "21001");
  CHECK(user["metadata"]["department"] == "Engineering");
  CHECK(user["metadata"]["employee_status"] == "active");
  CHECK_FALSE(user["metadata"].contains("manager_email"));  // not given: left out
  CHECK(user["user_profile"] == Json{{"given_name", "Peter"}, {"family_name", "Gibbons"}});

  // No organization owns the domain: a final failure with nothing to undo.
  const Json before = State();
  const RunRecord nowhere = RunToEnd(*engine, "hr_employee_onboarding",
                                     {{"employee_id", "30001"},
                                      {"email", "sam@nowhere.example"},
                                      {"first_name", "Sam"},
                                      {"last_name", "Stray"}});
  CHECK(nowhere.status == "compensated");
  CHECK(State() == before);
}

TEST_CASE("hr_employee_status_change: on leave, back, terminated", "[e2e][hr]") {
  auto engine = StartEngine();
  Control("POST", "/seed",
          {{"scalekit",
            {{"users",
              {{{"id", "usr_peter"},
                {"email", "peter@initech.example"},
                {"external_id", "21001"},
                {"metadata", {{"employee_status", "active"}}},
                {"memberships",
                 {{{"organization_id", "org_seed_initech"}, {"roles", {"member"}}}}}}}}}}});
  auto user = [] { return UserByExternalId(State(), "21001"); };

  REQUIRE(RunToEnd(*engine, "hr_employee_status_change",
                   {{"employee_id", "21001"}, {"status", "on_leave"}})
              .status == "completed");
  CHECK(user()["metadata"]["employee_status"] == "on_leave");
  CHECK(user()["metadata"].contains("leave_start_date"));

  REQUIRE(RunToEnd(*engine, "hr_employee_status_change",
                   {{"employee_id", "21001"}, {"status", "active"}})
              .status == "completed");
  CHECK(user()["metadata"] == Json{{"employee_status", "active"}});

  const RunRecord terminated = RunToEnd(*engine, "hr_employee_status_change",
                                        {{"employee_id", "21001"}, {"status", "terminated"}});
  INFO(terminated.error.dump());
  REQUIRE(terminated.status == "completed");
  CHECK(user()["metadata"]["employee_status"] == "terminated");
  CHECK(user()["metadata"].contains("termination_date"));
  CHECK(user()["memberships"].empty());
}

TEST_CASE("hr_employee_status_change rolls back a termination that cannot finish",
          "[e2e][hr][rollback]") {
  auto engine = StartEngine();
  Control("POST", "/seed",
          {{"scalekit",
            {{"users",
              {{{"id", "usr_peter"},
                {"email", "peter@initech.example"},
                {"external_id", "21001"},
                {"metadata", {{"employee_status", "active"}}},
                {"memberships",
                 {{{"organization_id", "org_seed_initech"}, {"roles", {"member"}}}}}}}}}}});
  const Json before = State();
  AddFault({{"system", "scalekit"},
            {"method", "DELETE"},
            {"path", "/api/v1/memberships/*"},
            {"status", 403},
            {"message", "the last admin cannot leave"}});
  const RunRecord run = RunToEnd(*engine, "hr_employee_status_change",
                                 {{"employee_id", "21001"}, {"status", "terminated"}});
  CHECK(run.status == "compensated");
  CHECK(StepsWith(*engine, run.id, "compensation_completed") ==
        std::vector<std::string>{"mark_terminated"});
  CHECK(State() == before);
}

}  // namespace sagaflow::standin_test
