#include "tests/standin/e2e/world.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace sagaflow::standin_test {

std::string WorkflowText(const std::string& file) {
  std::ifstream in(std::string(SAGAFLOW_SOURCE_DIR) + "/workflows/" + file);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<testing::EngineHarness> StartEngine() {
  ResetWorld();
  return std::make_unique<testing::EngineHarness>(
      std::initializer_list<std::pair<const std::string, std::string>>{
          {"customer_onboarding.yaml", WorkflowText("customer_onboarding.yaml")},
          {"stripe_subscription_updated.yaml", WorkflowText("stripe_subscription_updated.yaml")},
          {"stripe_customer_deleted.yaml", WorkflowText("stripe_customer_deleted.yaml")},
          {"crm_account_sync.yaml", WorkflowText("crm_account_sync.yaml")},
          {"crm_contact_sync.yaml", WorkflowText("crm_contact_sync.yaml")},
          {"crm_update_from_scalekit.yaml", WorkflowText("crm_update_from_scalekit.yaml")},
          {"hr_employee_onboarding.yaml", WorkflowText("hr_employee_onboarding.yaml")},
          {"hr_employee_status_change.yaml", WorkflowText("hr_employee_status_change.yaml")}});
}

RunRecord RunToEnd(testing::EngineHarness& engine, const std::string& workflow, const Json& input,
                   const std::set<std::string>& statuses) {
  const std::string id = engine.StartRun(workflow, input);
  return engine.WaitFor(id, statuses, std::chrono::seconds(30));
}

std::vector<std::string> StepsWith(testing::EngineHarness& engine, const std::string& run_id,
                                   const std::string& type) {
  std::vector<std::string> steps;
  for (const auto& event : engine.History(run_id)) {
    if (event.type == type && event.step_id) steps.push_back(*event.step_id);
  }
  return steps;
}

Json OrgByExternalId(const Json& state, const std::string& external_id) {
  for (const auto& org : state["scalekit"]["organizations"]) {
    if (org.value("external_id", "") == external_id) return org;
  }
  return nullptr;
}

Json UserByExternalId(const Json& state, const std::string& external_id) {
  for (const auto& user : state["scalekit"]["users"]) {
    if (user.value("external_id", "") == external_id) return user;
  }
  return nullptr;
}

Json RecordById(const Json& records, const std::string& id_key, const std::string& id) {
  for (const auto& record : records) {
    if (record.value(id_key, "") == id) return record;
  }
  return nullptr;
}

}  // namespace sagaflow::standin_test
