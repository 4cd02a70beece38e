// Scalekit users and memberships: create a user with its membership under an
// organization, read / patch / delete by id or external id, and add, change
// or remove memberships (`cascade=true` deletes a user left without any).
// PATCH replaces metadata and merges user_profile fields. Called with the
// stand-in's lock held.
#include "examples/standin/scalekit_shapes.hpp"
#include "examples/standin/standin.hpp"

namespace sagaflow::standin {
namespace sk = scalekit_shapes;

namespace {

Json MembershipFrom(const Json& in, const std::string& org, bool invited) {
  Json roles = Json::array();
  for (const auto& role : in.value("roles", Json::array())) {
    if (role.is_object() && role.contains("name")) roles.push_back({{"name", role["name"]}});
    if (role.is_string()) roles.push_back({{"name", role}});
  }
  return Json{{"organization_id", org},
              {"membership_status", invited ? "PENDING_INVITE" : "ACTIVE"},
              {"roles", roles},
              {"metadata", in.value("metadata", Json::object())},
              {"create_time", NowIso()}};
}

}  // namespace

Response StandIn::ScalekitUsers(const Request& request) {
  const auto& s = request.segments;
  const std::string& method = request.method;
  auto body = sk::ParseBody(request);
  if (!body) return sk::Error(400, "the body is not a JSON object");
  auto user_response = [&](const std::string& id) {
    return Response::JsonBody(200, {{"user", ScalekitUserJson(id)}});
  };
  auto external_owner = [&](const std::string& external_id) -> std::string {
    for (const auto& [id, user] : users_) {
      if (!external_id.empty() && sk::Text(user, "external_id") == external_id) return id;
    }
    return "";
  };

  // /api/v1/organizations/{org}/users
  if (s[2] == "organizations") {
    const std::string org = s[3];
    if (!orgs_.count(org)) return sk::Error(404, "organization " + org + " not found", "NOT_FOUND");
    if (method == "GET" && s.size() == 5) {
      Json users = Json::array();
      for (const auto& [key, membership] : memberships_) {
        if (key.first == org) users.push_back(ScalekitUserJson(key.second));
      }
      return Response::JsonBody(
          200, {{"users", users}, {"next_page_token", ""}, {"total_size", users.size()}});
    }
    if (method != "POST" || s.size() != 5) return sk::Error(405, "method not allowed");
    const Json& in = body->contains("user") ? (*body)["user"] : *body;
    const std::string email = sk::Text(in, "email");
    if (email.find('@') == std::string::npos) {
      return sk::Error(400, "email must be an email address", "INVALID_ARGUMENT");
    }
    const Json metadata = in.value("metadata", Json::object());
    if (auto bad = sk::CheckMetadata(metadata, "metadata")) return *bad;
    const std::string external_id = sk::Text(in, "external_id");
    if (!external_owner(external_id).empty()) {
      return sk::Error(409, "a user with external id " + external_id + " already exists",
                       "ALREADY_EXISTS");
    }
    const Json membership_in = in.value("membership", Json::object());
    if (auto bad = sk::CheckMetadata(membership_in.value("metadata", Json::object()),
                                     "membership.metadata")) {
      return *bad;
    }
    const std::string id = NextId("usr_");
    Json user{{"id", id},
              {"email", email},
              {"metadata", metadata},
              {"user_profile", in.value("user_profile", Json::object())},
              {"create_time", NowIso()},
              {"update_time", NowIso()}};
    if (!external_id.empty()) user["external_id"] = external_id;
    users_[id] = user;
    memberships_[{org, id}] =
        MembershipFrom(membership_in, org, request.Query("send_invitation_email") == "true");
    return user_response(id);
  }

  // /api/v1/users/{id} and /api/v1/users:external/{external_id}
  if (s.size() != 4 || (s[2] != "users" && s[2] != "users:external")) {
    return sk::Error(404, "no such route " + request.path);
  }
  const std::string id = s[2] == "users" ? (users_.count(s[3]) ? s[3] : "") : external_owner(s[3]);
  if (id.empty()) return sk::Error(404, "user not found", "NOT_FOUND");
  if (method == "GET") return user_response(id);
  if (method == "DELETE") {
    users_.erase(id);
    for (auto it = memberships_.begin(); it != memberships_.end();) {
      it = it->first.second == id ? memberships_.erase(it) : std::next(it);
    }
    return Response::JsonBody(200, Json::object());
  }
  if (method != "PATCH") return sk::Error(405, "method not allowed");
  const Json& patch = body->contains("user") ? (*body)["user"] : *body;
  Json& user = users_[id];
  if (patch.contains("external_id")) {
    const std::string external_id = sk::Text(patch, "external_id");
    const std::string owner = external_owner(external_id);
    if (!owner.empty() && owner != id) {
      return sk::Error(409, "external id " + external_id + " is taken", "ALREADY_EXISTS");
    }
    if (external_id.empty()) {
      user.erase("external_id");
    } else {
      user["external_id"] = external_id;
    }
  }
  if (patch.contains("metadata")) {
    const Json metadata = patch["metadata"].is_null() ? Json::object() : patch["metadata"];
    if (auto bad = sk::CheckMetadata(metadata, "metadata")) return *bad;
    user["metadata"] = metadata;
  }
  if (patch.contains("user_profile") && patch["user_profile"].is_object()) {
    for (const auto& [key, value] : patch["user_profile"].items()) {
      user["user_profile"][key] = value;
    }
  }
  user["update_time"] = NowIso();
  return user_response(id);
}

// /api/v1/memberships/organizations/{org}/users/{id} or …/users:external/{external_id}
Response StandIn::ScalekitMemberships(const Request& request) {
  const auto& s = request.segments;
  if (s.size() != 7 || s[3] != "organizations" || (s[5] != "users" && s[5] != "users:external")) {
    return sk::Error(404, "no such route " + request.path);
  }
  auto body = sk::ParseBody(request);
  if (!body) return sk::Error(400, "the body is not a JSON object");
  const std::string org = s[4];
  std::string user = s[5] == "users" ? s[6] : "";
  if (s[5] == "users:external") {
    for (const auto& [id, candidate] : users_) {
      if (sk::Text(candidate, "external_id") == s[6]) user = id;
    }
  }
  if (!orgs_.count(org)) return sk::Error(404, "organization " + org + " not found", "NOT_FOUND");
  if (user.empty() || !users_.count(user)) return sk::Error(404, "user not found", "NOT_FOUND");
  const auto key = std::make_pair(org, user);
  const Json& in = body->contains("membership") ? (*body)["membership"] : *body;

  if (request.method == "POST") {
    if (memberships_.count(key)) {
      return sk::Error(409, "the user is already a member", "ALREADY_EXISTS");
    }
    if (auto bad = sk::CheckMetadata(in.value("metadata", Json::object()), "metadata")) return *bad;
    memberships_[key] = MembershipFrom(in, org, request.Query("send_invitation_email") == "true");
    return Response::JsonBody(200, {{"user", ScalekitUserJson(user)}});
  }
  if (!memberships_.count(key)) return sk::Error(404, "membership not found", "NOT_FOUND");
  if (request.method == "PATCH") {
    Json& membership = memberships_[key];
    if (in.contains("roles")) membership["roles"] = MembershipFrom(in, org, false)["roles"];
    if (in.contains("metadata")) {
      if (auto bad = sk::CheckMetadata(in["metadata"], "metadata")) return *bad;
      membership["metadata"] = in["metadata"];
    }
    return Response::JsonBody(200, {{"user", ScalekitUserJson(user)}});
  }
  if (request.method == "DELETE") {
    memberships_.erase(key);
    if (request.Query("cascade") == "true") {
      bool other = false;
      for (const auto& [k, membership] : memberships_) other = other || k.second == user;
      if (!other) users_.erase(user);
    }
    return Response::JsonBody(200, Json::object());
  }
  return sk::Error(405, "method not allowed");
}

}  // namespace sagaflow::standin
