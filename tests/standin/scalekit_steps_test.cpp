// scalekit.* step types against the stand-in.
#include <catch2/catch.hpp>

#include "tests/standin/fixture.hpp"

namespace sagaflow::standin_test {
namespace {

using Kind = StepResult::Kind;

Json CreateOrg(const std::string& name, const std::string& external_id) {
  return MustComplete(RunStep("scalekit.create_organization",
                              {{"display_name", name},
                               {"external_id", external_id},
                               {"metadata", {{"plan_type", "pro"}, {"empty_one", ""}}}}));
}

Json FindOrg(const Json& state, const std::string& id) {
  for (const auto& org : state["scalekit"]["organizations"]) {
    if (org["id"] == id) return org;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("scalekit.create_organization creates it and reuses the cached token", "[scalekit]") {
  ResetWorld();
  const Json org = CreateOrg("Acme Corp", "cus_acme1");
  CHECK(org["id"].get<std::string>().rfind("org_", 0) == 0);
  CHECK(org["display_name"] == "Acme Corp");
  CHECK(org["metadata"] == Json{{"plan_type", "pro"}});  // "" left out
  CreateOrg("Other", "cus_other");
  CHECK(CountRequests("scalekit", "POST", "/oauth/token") == 1);
  const Json stored = FindOrg(State(), org["id"]);
  CHECK(stored["external_id"] == "cus_acme1");
  // The SDK's api version header goes with every call.
  for (const auto& entry : Requests("scalekit")) {
    if (entry["path"] != "/oauth/token") CHECK(entry["headers"]["x-api-version"] == "20260727");
  }
}

TEST_CASE("scalekit.create_organization with a duplicate external id fails finally", "[scalekit]") {
  ResetWorld();
  CreateOrg("Acme", "cus_dup");
  const auto result = RunStep("scalekit.create_organization",
                              {{"display_name", "Acme again"}, {"external_id", "cus_dup"}});
  CHECK(result.kind == Kind::kFinalFailure);
  CHECK(result.error_code == "ALREADY_EXISTS");
  CHECK(result.message.find("409") != std::string::npos);
}

TEST_CASE("scalekit.create_organization adopts on retry what an unanswered attempt created",
          "[scalekit]") {
  ResetWorld();
  const auto started = Clock::now();
  // The org is created, but the connection drops before the answer.
  AddFault({{"system", "scalekit"},
            {"method", "POST"},
            {"path", "/api/v1/organizations"},
            {"reset", "after"}});
  const Json params{{"display_name", "Lost Answer Inc"}, {"external_id", "cus_lost"}};
  const auto first = RunStep("scalekit.create_organization", params, Attempt(1, started));
  REQUIRE(first.kind == Kind::kRetryableFailure);
  CHECK(first.outcome_uncertain);
  const auto second = RunStep("scalekit.create_organization", params, Attempt(2, started));
  const Json org = MustComplete(second);
  CHECK(org["external_id"] == "cus_lost");
  int count = 0;
  const Json state = State();
  for (const auto& o : state["scalekit"]["organizations"]) count += o["external_id"] == "cus_lost";
  CHECK(count == 1);
  CHECK(CountRequests("scalekit", "POST", "/api/v1/organizations") == 1);
}

TEST_CASE("scalekit lookups: by id, by external id, missing_ok", "[scalekit]") {
  ResetWorld();
  const Json org = CreateOrg("Lookup Co", "cus_lookup");
  const std::string id = org["id"];
  auto by_id = MustComplete(RunStep("scalekit.get_organization", {{"organization_id", id}}));
  CHECK(by_id["found"] == true);
  CHECK(by_id["display_name"] == "Lookup Co");
  auto by_external = MustComplete(
      RunStep("scalekit.get_organization_by_external_id", {{"external_id", "cus_lookup"}}));
  CHECK(by_external["id"] == id);

  auto missing = RunStep("scalekit.get_organization_by_external_id", {{"external_id", "cus_none"}});
  CHECK(missing.kind == Kind::kFinalFailure);
  CHECK(missing.error_code == "NOT_FOUND");
  auto tolerated = MustComplete(RunStep("scalekit.get_organization_by_external_id",
                                        {{"external_id", "cus_none"}, {"missing_ok", true}}));
  CHECK(tolerated == Json{{"found", false}});
  auto gone = MustComplete(RunStep("scalekit.get_organization",
                                   {{"organization_id", "org_nope"}, {"missing_ok", true}}));
  CHECK(gone["found"] == false);
}

TEST_CASE("scalekit.find_organization_by_domain confirms the domain", "[scalekit]") {
  ResetWorld();
  // The default data has Initech owning initech.example; add a decoy whose
  // name matches the search but owns no such domain.
  Control("POST", "/seed",
          {{"scalekit",
            {{"organizations",
              {{{"id", "org_decoy"},
                {"display_name", "initech.example fans"},
                {"domains", Json::array()}}}}}}});
  auto by_domain = MustComplete(
      RunStep("scalekit.find_organization_by_domain", {{"domain", "INITECH.example"}}));
  CHECK(by_domain["id"] == "org_seed_initech");
  CHECK(by_domain["domain"] == "initech.example");
  auto by_email = MustComplete(
      RunStep("scalekit.find_organization_by_domain", {{"email", "peter@initech.example"}}));
  CHECK(by_email["id"] == "org_seed_initech");
  auto none = RunStep("scalekit.find_organization_by_domain", {{"domain", "nowhere.example"}});
  CHECK(none.kind == Kind::kFinalFailure);
  auto none_ok = MustComplete(RunStep("scalekit.find_organization_by_domain",
                                      {{"domain", "nowhere.example"}, {"missing_ok", true}}));
  CHECK(none_ok["found"] == false);
  auto bad = RunStep("scalekit.find_organization_by_domain", {{"email", "not-an-email"}});
  CHECK(bad.error_code == "bad_parameter");
}

TEST_CASE("scalekit.update_organization merges metadata and reports what it replaced",
          "[scalekit]") {
  ResetWorld();
  const Json org = CreateOrg("Merge Co", "cus_merge");
  const std::string id = org["id"];
  const Json before = State();
  const Json updated = MustComplete(RunStep(
      "scalekit.update_organization",
      {{"organization_id", id},
       {"metadata", {{"plan_type", "enterprise"}, {"seats", 25}, {"unknown_key", nullptr}}}}));
  CHECK(updated["metadata"] == Json{{"plan_type", "enterprise"}, {"seats", "25"}});
  // Exactly the changed keys, with their prior values (null: absent).
  CHECK(updated["previous"] == Json{{"metadata", {{"plan_type", "pro"}, {"seats", nullptr}}}});
  // The PATCH names what it changes.
  bool masked = false;
  for (const auto& entry : Requests("scalekit")) {
    if (entry["method"] == "PATCH") masked = entry["query"]["update_mask"] == "metadata";
  }
  CHECK(masked);
  // Passing previous back restores the organization exactly.
  MustComplete(RunStep("scalekit.update_organization",
                       {{"organization_id", id}, {"metadata", updated["previous"]["metadata"]}}));
  CHECK(State() == before);
  // Nothing to change: no PATCH at all.
  const int patches = CountRequests("scalekit", "PATCH");
  const Json same =
      MustComplete(RunStep("scalekit.update_organization",
                           {{"organization_id", id}, {"metadata", {{"plan_type", "pro"}}}}));
  CHECK(same["previous"] == Json{{"metadata", Json::object()}});
  CHECK(CountRequests("scalekit", "PATCH") == patches);
}

TEST_CASE("scalekit.update_organization surfaces Scalekit's validation errors", "[scalekit]") {
  ResetWorld();
  const Json org = CreateOrg("Limits Co", "cus_limits");
  const auto result =
      RunStep("scalekit.update_organization",
              {{"organization_id", org["id"]}, {"metadata", {{"ab", "too short"}}}});
  CHECK(result.kind == Kind::kFinalFailure);
  CHECK(result.error_code == "INVALID_ARGUMENT");
  CHECK(result.message.find("3 to 25") != std::string::npos);
}

TEST_CASE("scalekit.delete_organization is idempotent", "[scalekit]") {
  ResetWorld();
  const Json org = CreateOrg("Doomed", "cus_doomed");
  auto first =
      MustComplete(RunStep("scalekit.delete_organization", {{"organization_id", org["id"]}}));
  CHECK(first["deleted"] == true);
  CHECK(FindOrg(State(), org["id"]).is_null());
  auto again =
      MustComplete(RunStep("scalekit.delete_organization", {{"organization_id", org["id"]}}));
  CHECK(again["deleted"] == false);
  auto empty = MustComplete(RunStep("scalekit.delete_organization", {{"organization_id", ""}}));
  CHECK(empty["deleted"] == false);
}

TEST_CASE("scalekit users and memberships", "[scalekit]") {
  ResetWorld();
  const Json org = CreateOrg("People Co", "cus_people");
  const std::string org_id = org["id"];
  const Json user =
      MustComplete(RunStep("scalekit.create_user_and_membership",
                           {{"organization_id", org_id},
                            {"email", "ada@people.example"},
                            {"external_id", "cus_people:ada@people.example"},
                            {"metadata", {{"role_type", "admin"}}},
                            {"user_profile", {{"given_name", "Ada"}, {"family_name", ""}}},
                            {"roles", {"admin"}},
                            {"send_invitation_email", true}}));
  const std::string user_id = user["id"];
  CHECK(user_id.rfind("usr_", 0) == 0);
  REQUIRE(user["memberships"].size() == 1);
  CHECK(user["memberships"][0]["roles"] == Json::array({{{"name", "admin"}}}));
  CHECK(user["user_profile"] == Json{{"given_name", "Ada"}});
  bool invited = false;
  for (const auto& entry : Requests("scalekit")) {
    if (entry["method"] == "POST" && entry["path"].get<std::string>().ends_with("/users")) {
      invited = entry["query"]["send_invitation_email"] == "true";
    }
  }
  CHECK(invited);

  auto found = MustComplete(RunStep("scalekit.get_user_by_external_id",
                                    {{"external_id", "cus_people:ada@people.example"}}));
  CHECK(found["id"] == user_id);
  auto absent = MustComplete(RunStep("scalekit.get_user_by_external_id",
                                     {{"external_id", "nobody"}, {"missing_ok", true}}));
  CHECK(absent["found"] == false);

  const Json updated = MustComplete(
      RunStep("scalekit.update_user", {{"user_id", user_id},
                                       {"metadata", {{"employee_status", "on_leave"}}},
                                       {"user_profile", {{"family_name", "Lovelace"}}}}));
  CHECK(updated["metadata"]["employee_status"] == "on_leave");
  CHECK(updated["user_profile"] == Json{{"given_name", "Ada"}, {"family_name", "Lovelace"}});
  CHECK(updated["previous"]["metadata"] == Json{{"employee_status", nullptr}});
  CHECK(updated["previous"]["user_profile"] == Json{{"family_name", nullptr}});
  MustComplete(RunStep("scalekit.update_user",
                       {{"user_id", user_id}, {"metadata", updated["previous"]["metadata"]}}));

  // Remove the membership, then put it back from what the removal reported.
  const Json removed = MustComplete(
      RunStep("scalekit.delete_membership", {{"organization_id", org_id}, {"user_id", user_id}}));
  CHECK(removed["deleted"] == true);
  CHECK(removed["previous"]["roles"] == Json::array({"admin"}));
  const Json again = MustComplete(
      RunStep("scalekit.delete_membership", {{"organization_id", org_id}, {"user_id", user_id}}));
  CHECK(again["deleted"] == false);
  const Json added = MustComplete(
      RunStep("scalekit.add_membership", {{"organization_id", org_id},
                                          {"user_id", user_id},
                                          {"roles", removed["previous"]["roles"]},
                                          {"metadata", removed["previous"]["metadata"]}}));
  CHECK(added["added"] == true);
  const Json twice = MustComplete(
      RunStep("scalekit.add_membership", {{"organization_id", org_id}, {"user_id", user_id}}));
  CHECK(twice["added"] == false);

  // cascade: the user goes with its last membership.
  MustComplete(RunStep("scalekit.delete_membership",
                       {{"organization_id", org_id}, {"user_id", user_id}, {"cascade", true}}));
  CHECK(State()["scalekit"]["users"].empty());
  auto after = MustComplete(
      RunStep("scalekit.delete_membership", {{"organization_id", org_id}, {"user_id", user_id}}));
  CHECK(after["deleted"] == false);
}

}  // namespace sagaflow::standin_test
