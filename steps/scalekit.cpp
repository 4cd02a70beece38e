// scalekit.* — organizations, users and memberships in Scalekit.
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"

namespace sagaflow {

void RegisterScalekitSteps(StepRegistry& registry) {
  using P = ParamType;
  const ParamSpec org_id{"organization_id", P::kString, true, nullptr, "org_…"};
  RegisterDeclaredSteps(
      registry, "scalekit",
      {
          {"create_organization", true, "Creates an organization.",
           {{"display_name", P::kString, true, nullptr, "1 to 200 characters"},
            {"external_id", P::kString, false, nullptr, "your system's id for it"},
            {"metadata", P::kObject, false, nullptr, "string values"},
            {"region_code", P::kString, false, nullptr, ""}}},
          {"get_organization", false, "Reads an organization by id.", {org_id}},
          {"get_organization_by_external_id", false, "Reads an organization by external id.",
           {{"external_id", P::kString, true, nullptr, ""}}},
          {"find_organization_by_domain", false, "Finds the organization that owns a domain.",
           {{"domain", P::kString, true, nullptr, "e.g. example.com"}}},
          {"update_organization", true,
           "Updates an organization; metadata is merged, previous values are in the output.",
           {org_id,
            {"display_name", P::kString, false, nullptr, ""},
            {"external_id", P::kString, false, nullptr, ""},
            {"metadata", P::kObject, false, nullptr, "keys to set; null removes a key"}}},
          {"delete_organization", true, "Deletes an organization.", {org_id}},
          {"create_user_and_membership", true, "Creates a user and its membership of an org.",
           {org_id,
            {"email", P::kString, true, nullptr, ""},
            {"external_id", P::kString, false, nullptr, ""},
            {"metadata", P::kObject, false, nullptr, ""},
            {"user_profile", P::kObject, false, nullptr, "given_name, family_name, …"},
            {"roles", P::kArray, false, nullptr, "role names"},
            {"send_invitation_email", P::kBoolean, false, false, ""}}},
          {"get_user_by_external_id", false, "Reads a user by external id.",
           {{"external_id", P::kString, true, nullptr, ""}}},
          {"update_user", true, "Updates a user; previous values are in the output.",
           {{"user_id", P::kString, true, nullptr, "usr_…"},
            {"external_id", P::kString, false, nullptr, ""},
            {"metadata", P::kObject, false, nullptr, ""},
            {"user_profile", P::kObject, false, nullptr, ""}}},
          {"delete_membership", true, "Removes a user from an organization.",
           {org_id, {"user_id", P::kString, true, nullptr, "usr_…"}}},
          {"add_membership", true, "Adds a user to an organization.",
           {org_id,
            {"user_id", P::kString, true, nullptr, "usr_…"},
            {"roles", P::kArray, false, nullptr, "role names"},
            {"metadata", P::kObject, false, nullptr, ""}}},
      });
}

}  // namespace sagaflow
