// scalekit.* — organizations, users and memberships in Scalekit, over its
// REST routes (/api/v1/…) with an OAuth client-credentials token.
//
// Decisions the vendor leaves open:
// - Updates read, merge and write back the whole metadata (whether PATCH
//   merges is unverified); their output carries `previous`, the prior values
//   of exactly the changed keys (null: the key was absent), so passing
//   `previous.metadata` back as `metadata` restores them.
// - Deletes are idempotent for compensations: a 404 (already gone) or an
//   empty id (the create never answered) completes with `deleted: false`.
// - Creates with an external id adopt, on a retry, the resource an earlier
//   unanswered attempt created (found by external id, created since the step
//   first started) instead of failing on the duplicate.
// - Lookups take `missing_ok`: then nothing found completes with
//   `{"found": false}` instead of failing; found resources carry `found: true`.
#include "engine/time_format.hpp"
#include "steps/builtin_steps.hpp"
#include "steps/declare.hpp"
#include "steps/scalekit_internal.hpp"
#include "steps/step_params.hpp"

namespace sagaflow {
namespace steps::scalekit {

Json CleanMetadata(const Json& metadata) {
  Json out = Json::object();
  if (!metadata.is_object()) return out;
  for (const auto& [key, value] : metadata.items()) {
    const Json text = MetadataText(value);
    if (text.is_string() && !text.get<std::string>().empty()) out[key] = text;
  }
  return out;
}

MetadataMerge MergeMetadata(const Json& current, const Json& changes) {
  MetadataMerge merge;
  merge.merged = current.is_object() ? current : Json::object();
  if (!changes.is_object()) return merge;
  for (const auto& [key, value] : changes.items()) {
    const Json text = MetadataText(value);
    const bool remove = text.is_null() || (text.is_string() && text.get<std::string>().empty());
    auto it = merge.merged.find(key);
    const Json before = it == merge.merged.end() ? Json() : *it;
    if (remove) {
      if (it == merge.merged.end()) continue;
      merge.merged.erase(it);
    } else {
      if (before == text) continue;
      merge.merged[key] = text;
    }
    merge.previous[key] = before;
  }
  return merge;
}

Json Unwrap(const Json& body, const char* key) {
  if (body.is_object() && body.contains(key) && body[key].is_object()) return body[key];
  return body.is_object() ? body : Json::object();
}

Json Roles(const Json& roles) {
  Json out = Json::array();
  if (!roles.is_array()) return out;
  for (const auto& role : roles) {
    if (role.is_string()) out.push_back({{"name", role}});
    if (role.is_object() && role.contains("name")) out.push_back({{"name", role["name"]}});
  }
  return out;
}

bool CreatedSince(const Json& resource, TimePoint since) {
  if (!resource.is_object() || !resource.contains("create_time")) return false;
  const Json& created = resource["create_time"];
  if (!created.is_string()) return false;
  auto when = ParseTimestamp(created.get<std::string>());
  return when && *when >= since - std::chrono::minutes(1);
}

Json NotFound() {
  return Json{{"found", false}};
}

}  // namespace steps::scalekit

void RegisterScalekitSteps(StepRegistry& registry) {
  namespace sk = steps::scalekit;
  using P = ParamType;
  const ParamSpec org_id{"organization_id", P::kString, true, nullptr, "org_…"};
  const ParamSpec missing_ok{"missing_ok", P::kBoolean, false, false,
                             "complete with {found: false} when there is none"};
  RegisterDeclaredSteps(
      registry, "scalekit",
      {
          {"create_organization",
           true,
           "Creates an organization.",
           {{"display_name", P::kString, true, nullptr, "1 to 200 characters"},
            {"external_id", P::kString, false, nullptr, "your system's id for it"},
            {"metadata", P::kObject, false, nullptr,
             "string values; null or \"\" leaves a key out"},
            {"region_code", P::kString, false, nullptr, ""}},
           "the organization: id, display_name, external_id, metadata, create_time, …",
           sk::CreateOrganization},
          {"get_organization",
           false,
           "Reads an organization by id.",
           {org_id, missing_ok},
           "the organization, with found: true",
           sk::GetOrganization},
          {"get_organization_by_external_id",
           false,
           "Reads an organization by external id.",
           {{"external_id", P::kString, true, nullptr, ""}, missing_ok},
           "the organization, with found: true",
           sk::GetOrganizationByExternalId},
          {"find_organization_by_domain",
           false,
           "Finds the organization that owns a domain (give the domain, or an email address).",
           {{"domain", P::kString, false, nullptr, "e.g. example.com"},
            {"email", P::kString, false, nullptr, "its domain is used when domain is absent"},
            missing_ok},
           "the organization, with found: true and the matched domain",
           sk::FindOrganizationByDomain},
          {"update_organization",
           true,
           "Updates an organization; metadata is merged by read-modify-write.",
           {org_id,
            {"display_name", P::kString, false, nullptr, "null: unchanged"},
            {"external_id", P::kString, false, nullptr, "null: unchanged"},
            {"metadata", P::kObject, false, nullptr, "keys to set; null or \"\" removes a key"}},
           "the updated organization plus previous: {metadata: {key: prior value or null}, and "
           "display_name / external_id when they changed}",
           sk::UpdateOrganization},
          {"delete_organization",
           true,
           "Deletes an organization; already gone (404) or an empty id counts as done.",
           {{"organization_id", P::kString, true, nullptr, "org_…; empty: nothing to delete"}},
           "{organization_id, deleted}",
           sk::DeleteOrganization},
          {"create_user_and_membership",
           true,
           "Creates a user and its membership of an org.",
           {org_id,
            {"email", P::kString, true, nullptr, ""},
            {"external_id", P::kString, false, nullptr, ""},
            {"metadata", P::kObject, false, nullptr, "string values"},
            {"user_profile", P::kObject, false, nullptr, "given_name, family_name, …"},
            {"roles", P::kArray, false, nullptr, "role names"},
            {"membership_metadata", P::kObject, false, nullptr, "metadata of the membership"},
            {"send_invitation_email", P::kBoolean, false, false, ""}},
           "the user: id, email, external_id, metadata, memberships, …",
           sk::CreateUserAndMembership},
          {"get_user_by_external_id",
           false,
           "Reads a user by external id.",
           {{"external_id", P::kString, true, nullptr, ""}, missing_ok},
           "the user, with found: true",
           sk::GetUserByExternalId},
          {"update_user",
           true,
           "Updates a user; metadata and profile are merged.",
           {{"user_id", P::kString, true, nullptr, "usr_…"},
            {"external_id", P::kString, false, nullptr, "null: unchanged"},
            {"metadata", P::kObject, false, nullptr, "keys to set; null or \"\" removes a key"},
            {"user_profile", P::kObject, false, nullptr, "fields to set"}},
           "the updated user plus previous: {metadata: {…}, user_profile: {…}, external_id?}",
           sk::UpdateUser},
          {"delete_membership",
           true,
           "Removes a user from an organization; not a member (any more) counts as done.",
           {org_id,
            {"user_id", P::kString, true, nullptr, "usr_…; empty: nothing to remove"},
            {"cascade", P::kBoolean, false, false, "also delete the user when it was its last"}},
           "{organization_id, user_id, deleted, previous: {roles, metadata}}",
           sk::DeleteMembership},
          {"add_membership",
           true,
           "Adds a user to an organization; already a member, or an empty id, counts as done.",
           {org_id,
            {"user_id", P::kString, true, nullptr, "usr_…; empty: nothing to add"},
            {"roles", P::kArray, false, nullptr, "role names"},
            {"metadata", P::kObject, false, nullptr, ""},
            {"send_invitation_email", P::kBoolean, false, false, ""}},
           "{organization_id, user_id, added}",
           sk::AddMembership},
      });
}

}  // namespace sagaflow
