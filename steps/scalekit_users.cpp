// scalekit.* user and membership handlers (see steps/scalekit.cpp for the
// decisions).
#include "steps/scalekit_internal.hpp"
#include "steps/step_params.hpp"

namespace sagaflow::steps::scalekit {
namespace {

const std::string kUsers = "/api/v1/users";

std::string MembershipPath(const std::string& org, const std::string& user) {
  return "/api/v1/memberships/organizations/" + Segment(org) + "/users/" + Segment(user);
}

// The user's membership of `org`, or null.
Json MembershipOf(const Json& user, const std::string& org) {
  for (const auto& membership : user.value("memberships", Json::array())) {
    if (membership.value("organization_id", "") == org) return membership;
  }
  return nullptr;
}

// Profile fields to send: the given ones that are not null or "".
Json CleanProfile(const Json& profile) {
  Json out = Json::object();
  if (!profile.is_object()) return out;
  for (const auto& [key, value] : profile.items()) {
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) continue;
    out[key] = value;
  }
  return out;
}

}  // namespace

StepResult CreateUserAndMembership(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  const std::string org = ParamText(ctx.params, "organization_id");
  const std::string email = ParamText(ctx.params, "email");
  if (org.empty()) return BadParameter("organization_id", "must not be empty");
  if (email.empty()) return BadParameter("email", "must not be empty");
  const std::string external_id = ParamText(ctx.params, "external_id");

  if (ctx.attempt > 1 && !external_id.empty()) {
    ApiRequest lookup = ApiRequest::Make("GET", kUsers + ":external/" + Segment(external_id));
    lookup.also_accept = {404};
    auto found = CallApi(ctx, connection, lookup);
    if (!found.ok()) return found.failure;
    if (found->status != 404) {
      Json user = Unwrap(found->json, "user");
      if (CreatedSince(user, ctx.first_started_at) && !MembershipOf(user, org).is_null()) {
        return StepResult::Completed(user);
      }
    }
  }

  Json body{{"email", email}};
  if (!external_id.empty()) body["external_id"] = external_id;
  if (Json metadata = CleanMetadata(ParamObject(ctx.params, "metadata")); !metadata.empty()) {
    body["metadata"] = metadata;
  }
  if (Json profile = CleanProfile(ParamObject(ctx.params, "user_profile")); !profile.empty()) {
    body["user_profile"] = profile;
  }
  Json membership = Json::object();
  if (Json roles = Roles(ctx.params.value("roles", Json::array())); !roles.empty()) {
    membership["roles"] = roles;
  }
  if (Json metadata = CleanMetadata(ParamObject(ctx.params, "membership_metadata"));
      !metadata.empty()) {
    membership["metadata"] = metadata;
  }
  if (!membership.empty()) body["membership"] = membership;
  ApiRequest create =
      ApiRequest::Make("POST", "/api/v1/organizations/" + Segment(org) + "/users", body);
  create.query = {{"send_invitation_email",
                   ParamBool(ctx.params, "send_invitation_email", false) ? "true" : "false"}};
  auto created = CallApi(ctx, connection, create);
  if (!created.ok()) return created.failure;
  return StepResult::Completed(Unwrap(created->json, "user"));
}

StepResult GetUserByExternalId(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  const std::string id = ParamText(ctx.params, "external_id");
  if (id.empty()) return BadParameter("external_id", "must not be empty");
  const bool missing_ok = ParamBool(ctx.params, "missing_ok", false);
  ApiRequest request = ApiRequest::Make("GET", kUsers + ":external/" + Segment(id));
  if (missing_ok) request.also_accept = {404};
  auto answer = CallApi(ctx, resolved.connection.get(), request);
  if (!answer.ok()) return answer.failure;
  if (answer->status == 404) return StepResult::Completed(NotFound());
  Json user = Unwrap(answer->json, "user");
  user["found"] = true;
  return StepResult::Completed(user);
}

StepResult UpdateUser(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();
  const std::string id = ParamText(ctx.params, "user_id");
  if (id.empty()) return BadParameter("user_id", "must not be empty");
  const std::string path = kUsers + "/" + Segment(id);
  auto current = CallApi(ctx, connection, ApiRequest::Make("GET", path));
  if (!current.ok()) return current.failure;
  const Json user = Unwrap(current->json, "user");

  Json body = Json::object();
  Json previous{{"metadata", Json::object()}};
  if (HasParam(ctx.params, "external_id") &&
      ctx.params["external_id"] != user.value("external_id", Json())) {
    body["external_id"] = ctx.params["external_id"];
    previous["external_id"] = user.value("external_id", Json());
  }
  const MetadataMerge merge =
      MergeMetadata(user.value("metadata", Json::object()), ParamObject(ctx.params, "metadata"));
  if (merge.changed()) {
    body["metadata"] = merge.merged;
    previous["metadata"] = merge.previous;
  }
  const Json profile_before = user.value("user_profile", Json::object());
  Json profile_changes = Json::object();
  Json profile_previous = Json::object();
  const Json profile_params = ParamObject(ctx.params, "user_profile");
  for (const auto& [key, value] : profile_params.items()) {
    const Json before = profile_before.contains(key) ? profile_before[key] : Json();
    if (value == before) continue;
    profile_changes[key] = value;
    profile_previous[key] = before;
  }
  if (!profile_changes.empty()) {
    // Send the whole profile: whether PATCH merges its fields is unverified.
    Json profile = profile_before;
    profile.update(profile_changes);
    body["user_profile"] = profile;
    previous["user_profile"] = profile_previous;
  }
  if (body.empty()) {
    Json unchanged = user;
    unchanged["previous"] = previous;
    return StepResult::Completed(unchanged);
  }
  auto updated = CallApi(ctx, connection, ApiRequest::Make("PATCH", path, body));
  if (!updated.ok()) return updated.failure;
  Json result = Unwrap(updated->json, "user");
  if (result.empty()) result = user;
  result["previous"] = previous;
  return StepResult::Completed(result);
}

StepResult DeleteMembership(const StepContext& ctx) {
  const std::string org = ParamText(ctx.params, "organization_id");
  const std::string user_id = ParamText(ctx.params, "user_id");
  Json output{{"organization_id", org}, {"user_id", user_id}, {"deleted", false}};
  if (org.empty() || user_id.empty()) {
    output["reason"] = "no organization or user id";
    return StepResult::Completed(output);
  }
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  Connection* connection = resolved.connection.get();

  // Read the membership first: its roles and metadata let a compensation
  // (add_membership) put it back.
  ApiRequest read = ApiRequest::Make("GET", kUsers + "/" + Segment(user_id));
  read.also_accept = {404};
  auto user = CallApi(ctx, connection, read);
  if (!user.ok()) return user.failure;
  if (user->status == 404) return StepResult::Completed(output);
  const Json membership = MembershipOf(Unwrap(user->json, "user"), org);
  if (membership.is_null()) return StepResult::Completed(output);
  Json roles = Json::array();
  for (const auto& role : membership.value("roles", Json::array())) {
    if (role.is_object() && role.contains("name")) roles.push_back(role["name"]);
  }
  output["previous"] = {{"roles", roles},
                        {"metadata", membership.value("metadata", Json::object())}};

  ApiRequest remove = ApiRequest::Make("DELETE", MembershipPath(org, user_id));
  remove.query = {{"cascade", ParamBool(ctx.params, "cascade", false) ? "true" : "false"}};
  remove.also_accept = {404};
  auto answer = CallApi(ctx, connection, remove);
  if (!answer.ok()) return answer.failure;
  output["deleted"] = answer->status != 404;
  return StepResult::Completed(output);
}

StepResult AddMembership(const StepContext& ctx) {
  auto resolved = ResolveConnection(ctx, "scalekit");
  if (!resolved.connection) return resolved.failure;
  const std::string org = ParamText(ctx.params, "organization_id");
  const std::string user_id = ParamText(ctx.params, "user_id");
  if (org.empty() || user_id.empty()) {
    // As a compensation of a removal that found nothing to remove.
    return StepResult::Completed(Json{{"organization_id", org},
                                      {"user_id", user_id},
                                      {"added", false},
                                      {"reason", "no organization or user id"}});
  }
  Json body = Json::object();
  if (Json roles = Roles(ctx.params.value("roles", Json::array())); !roles.empty()) {
    body["roles"] = roles;
  }
  if (Json metadata = CleanMetadata(ParamObject(ctx.params, "metadata")); !metadata.empty()) {
    body["metadata"] = metadata;
  }
  ApiRequest add = ApiRequest::Make("POST", MembershipPath(org, user_id), body);
  add.query = {{"send_invitation_email",
                ParamBool(ctx.params, "send_invitation_email", false) ? "true" : "false"}};
  add.also_accept = {409};  // already a member: what we wanted
  auto answer = CallApi(ctx, resolved.connection.get(), add);
  if (!answer.ok()) return answer.failure;
  return StepResult::Completed(
      Json{{"organization_id", org}, {"user_id", user_id}, {"added", answer->status != 409}});
}

}  // namespace sagaflow::steps::scalekit
