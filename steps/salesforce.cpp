// salesforce.* — Accounts and Contacts over the Salesforce REST API.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"

namespace sagaflow {

void RegisterSalesforceSteps(StepRegistry& registry) {
  using P = ParamType;
  const ParamSpec fields_read{"fields", P::kArray, false, nullptr, "field names to read"};
  const ParamSpec fields_write{"fields", P::kObject, true, nullptr, "field name -> new value"};
  RegisterDeclaredSteps(
      registry, "salesforce",
      {
          {"get_account", false, "Reads an Account.",
           {{"account_id", P::kString, true, nullptr, "001…"}, fields_read}},
          {"update_account", true, "Updates Account fields; previous values are in the output.",
           {{"account_id", P::kString, true, nullptr, "001…"}, fields_write}},
          {"get_contact", false, "Reads a Contact.",
           {{"contact_id", P::kString, true, nullptr, "003…"}, fields_read}},
          {"update_contact", true, "Updates Contact fields; previous values are in the output.",
           {{"contact_id", P::kString, true, nullptr, "003…"}, fields_write}},
      });
}

}  // namespace sagaflow
