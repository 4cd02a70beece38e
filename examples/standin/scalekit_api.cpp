// Scalekit's REST shapes: the client-credentials token endpoint, and
// organizations, domains, users and memberships under /api/v1. Errors are
// gRPC-status JSON with an ErrorInfo detail. Metadata follows the documented
// limits (keys 3–25 characters, values 1–256, at most 10 pairs) and PATCH
// replaces it whole (the real merge behaviour is unverified, so callers
// read-modify-write). Called with the stand-in's lock held.
#include <algorithm>

#include "examples/standin/scalekit_shapes.hpp"
#include "examples/standin/standin.hpp"

namespace sagaflow::standin {
namespace sk = scalekit_shapes;
using sk::CheckMetadata;
using sk::Error;
using sk::ParseBody;
using sk::Text;

Json StandIn::ScalekitUserJson(const std::string& id) const {
  Json user = users_.at(id);
  Json memberships = Json::array();
  for (const auto& [key, membership] : memberships_) {
    if (key.second == id) memberships.push_back(membership);
  }
  user["memberships"] = memberships;
  return user;
}

Response StandIn::Scalekit(const Request& request) {
  if (request.path == "/oauth/token") {
    if (request.method != "POST") return Error(405, "method not allowed");
    const Pairs form = ParseForm(request.body);
    auto field = [&](const char* name) {
      for (const auto& [key, value] : form) {
        if (key == name) return value;
      }
      return std::string();
    };
    if (field("grant_type") != "client_credentials") {
      return Response::JsonBody(400, {{"error", "unsupported_grant_type"},
                                      {"error_description", "use client_credentials"}});
    }
    if (field("client_id") != Credentials::kScalekitClientId ||
        field("client_secret") != Credentials::kScalekitClientSecret) {
      return Response::JsonBody(401, {{"error", "invalid_client"},
                                      {"error_description", "client authentication failed"}});
    }
    const long long ttl = 86399;
    const std::string token = IssueToken("scalekit", ttl);
    return Response::JsonBody(200,
                              {{"access_token", token},
                               {"token_type", "Bearer"},
                               {"expires_in", token_ttl_override_ >= 0 ? token_ttl_override_ : ttl},
                               {"scope", "openid profile"}});
  }
  if (!BearerValid("scalekit", request)) {
    return Error(401, "access token is missing, invalid or expired", "UNAUTHENTICATED");
  }
  const auto& s = request.segments;  // "api", "v1", …
  if (s.size() >= 3 && s[2].rfind("organizations", 0) == 0) {
    if (s.size() >= 5 && s[2] == "organizations" && s[4] == "users") {
      return ScalekitUsers(request);
    }
    return ScalekitOrganizations(request);
  }
  if (s.size() >= 3 && s[2].rfind("users", 0) == 0) return ScalekitUsers(request);
  if (s.size() >= 3 && s[2] == "memberships") return ScalekitMemberships(request);
  return Error(404, "no such route " + request.path);
}

Response StandIn::ScalekitOrganizations(const Request& request) {
  const auto& s = request.segments;
  const std::string& method = request.method;
  auto body = ParseBody(request);
  if (!body) return Error(400, "the body is not a JSON object");

  auto org_response = [&](const std::string& id) {
    return Response::JsonBody(200, {{"organization", orgs_.at(id)}});
  };
  auto external_taken = [&](const std::string& external_id, const std::string& except) {
    for (const auto& [id, org] : orgs_) {
      if (id != except && !external_id.empty() && Text(org, "external_id") == external_id) {
        return true;
      }
    }
    return false;
  };

  if (s.size() == 3 && s[2] == "organizations") {
    if (method == "POST") {
      const Json& org_in = body->contains("organization") ? (*body)["organization"] : *body;
      const std::string name = Text(org_in, "display_name");
      if (name.empty() || name.size() > 200) {
        return Error(400, "display_name must have 1 to 200 characters", "INVALID_ARGUMENT");
      }
      const Json metadata = org_in.value("metadata", Json::object());
      if (auto bad = CheckMetadata(metadata, "metadata")) return *bad;
      const std::string external_id = Text(org_in, "external_id");
      if (external_taken(external_id, "")) {
        return Error(409, "an organization with external id " + external_id + " already exists",
                     "ALREADY_EXISTS");
      }
      const std::string id = NextId("org_");
      Json org{{"id", id},
               {"display_name", name},
               {"metadata", metadata},
               {"create_time", NowIso()},
               {"update_time", NowIso()},
               {"region_code", org_in.value("region_code", "US")},
               {"settings", {{"features", Json::array()}}}};
      if (!external_id.empty()) org["external_id"] = external_id;
      orgs_[id] = org;
      return org_response(id);
    }
    if (method == "GET") {
      Json all = Json::array();
      const std::string external_id = request.Query("external_id");
      for (const auto& [id, org] : orgs_) {
        if (external_id.empty() || Text(org, "external_id") == external_id) all.push_back(org);
      }
      const size_t size = request.Query("page_size").empty()
                              ? 10
                              : std::clamp<size_t>(std::stoul(request.Query("page_size")), 1, 100);
      const size_t offset =
          request.Query("page_token").empty() ? 0 : std::stoul(request.Query("page_token"));
      Json page = Json::array();
      for (size_t i = offset; i < all.size() && page.size() < size; ++i) page.push_back(all[i]);
      const size_t next = offset + page.size();
      return Response::JsonBody(200,
                                {{"organizations", page},
                                 {"next_page_token", next < all.size() ? std::to_string(next) : ""},
                                 {"prev_page_token", ""},
                                 {"total_size", all.size()}});
    }
    return Error(405, "method not allowed");
  }
  if (s.size() == 3 && s[2] == "organizations:search" && method == "GET") {
    const std::string query = Lower(request.Query("query"));
    if (query.size() < 3)
      return Error(400, "query must have at least 3 characters", "INVALID_ARGUMENT");
    Json found = Json::array();
    for (const auto& [id, org] : orgs_) {
      bool match = Lower(Text(org, "display_name")).find(query) != std::string::npos ||
                   Lower(Text(org, "external_id")).find(query) != std::string::npos ||
                   Lower(id).find(query) != std::string::npos;
      for (const auto& domain : domains_[id]) {
        match = match || Lower(Text(domain, "domain")).find(query) != std::string::npos;
      }
      if (match) found.push_back(org);
    }
    return Response::JsonBody(200, {{"organizations", found},
                                    {"next_page_token", ""},
                                    {"prev_page_token", ""},
                                    {"total_size", found.size()}});
  }
  if (s.size() == 4 && s[2] == "organizations:external") {
    for (const auto& [id, org] : orgs_) {
      if (Text(org, "external_id") == s[3] && method == "GET") return org_response(id);
    }
    return Error(404, "organization not found", "NOT_FOUND");
  }
  if (s.size() < 4 || s[2] != "organizations") return Error(404, "no such route " + request.path);
  const std::string id = s[3];
  if (!orgs_.count(id)) return Error(404, "organization " + id + " not found", "NOT_FOUND");

  if (s.size() == 4) {
    if (method == "GET") return org_response(id);
    if (method == "DELETE") {
      orgs_.erase(id);
      domains_.erase(id);
      for (auto it = memberships_.begin(); it != memberships_.end();) {
        it = it->first.first == id ? memberships_.erase(it) : std::next(it);
      }
      features_.erase(id);
      return Response::JsonBody(200, Json::object());
    }
    if (method == "PATCH") {
      const Json& patch = body->contains("organization") ? (*body)["organization"] : *body;
      std::vector<std::string> fields;
      const std::string mask = request.Query("update_mask");
      for (size_t start = 0; start < mask.size();) {
        size_t comma = mask.find(',', start);
        if (comma == std::string::npos) comma = mask.size();
        std::string field = mask.substr(start, comma - start);
        if (field == "displayName") field = "display_name";
        if (field == "externalId") field = "external_id";
        fields.push_back(field);
        start = comma + 1;
      }
      if (fields.empty()) {
        for (const auto& [key, value] : patch.items()) fields.push_back(key);
      }
      Json& org = orgs_[id];
      for (const auto& field : fields) {
        const Json value = patch.contains(field) ? patch[field] : Json();
        if (field == "display_name") {
          const std::string name = value.is_string() ? value.get<std::string>() : "";
          if (name.empty() || name.size() > 200) {
            return Error(400, "display_name must have 1 to 200 characters", "INVALID_ARGUMENT");
          }
          org["display_name"] = name;
        } else if (field == "external_id") {
          const std::string external_id = value.is_string() ? value.get<std::string>() : "";
          if (external_taken(external_id, id)) {
            return Error(409, "external id " + external_id + " is taken", "ALREADY_EXISTS");
          }
          if (external_id.empty()) {
            org.erase("external_id");
          } else {
            org["external_id"] = external_id;
          }
        } else if (field == "metadata") {
          const Json metadata = value.is_null() ? Json::object() : value;
          if (auto bad = CheckMetadata(metadata, "metadata")) return *bad;
          org["metadata"] = metadata;
        } else {
          return Error(400, "field " + field + " cannot be updated", "INVALID_ARGUMENT");
        }
      }
      org["update_time"] = NowIso();
      return org_response(id);
    }
    return Error(405, "method not allowed");
  }
  if (s[4] == "domains") {
    auto& domains = domains_[id];
    if (s.size() == 5 && method == "GET") {
      return Response::JsonBody(200, {{"domains", domains}});
    }
    if (s.size() == 5 && method == "POST") {
      const Json& in =
          body->contains("domain") && (*body)["domain"].is_object() ? (*body)["domain"] : *body;
      const std::string name = Lower(Text(in, "domain"));
      if (name.find('.') == std::string::npos) {
        return Error(400, "domain must be a domain name", "INVALID_ARGUMENT");
      }
      for (const auto& [other, list] : domains_) {
        for (const auto& domain : list) {
          if (Text(domain, "domain") == name) {
            return Error(409, "domain " + name + " is already in use", "ALREADY_EXISTS");
          }
        }
      }
      Json domain{{"id", NextId("dom_")},
                  {"domain", name},
                  {"organization_id", id},
                  {"domain_type", in.value("domain_type", "ORGANIZATION_DOMAIN")},
                  {"create_time", NowIso()}};
      domains.push_back(domain);
      return Response::JsonBody(200, {{"domain", domain}});
    }
    if (s.size() == 6) {
      for (auto it = domains.begin(); it != domains.end(); ++it) {
        if (Text(*it, "id") != s[5]) continue;
        if (method == "GET") return Response::JsonBody(200, {{"domain", *it}});
        if (method == "DELETE") {
          domains.erase(it);
          return Response::JsonBody(200, Json::object());
        }
      }
      return Error(404, "domain not found", "NOT_FOUND");
    }
  }
  return Error(404, "no such route " + request.path);
}

}  // namespace sagaflow::standin
