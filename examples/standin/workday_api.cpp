// Workday's REST shapes — the tenant's refresh-token grant (API client in
// Basic auth) and workers under /ccx/api/v1/{tenant} — and the premium
// features endpoint the Stripe workflows call (/features/organizations/{id}/
// premium: GET, or PUT {"enabled": bool}). Called with the stand-in's lock
// held.
#include "examples/standin/standin.hpp"

namespace sagaflow::standin {
namespace {

std::string Base64Decode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int buffer = 0, bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) break;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

Response WorkdayError(int status, const std::string& code, const std::string& message) {
  return Response::JsonBody(status,
                            {{"error", code}, {"errors", Json::array({{{"error", message}}})}});
}

}  // namespace

Response StandIn::Workday(const Request& request) {
  const auto& s = request.segments;  // ccx, oauth2|api, …
  if (s.size() == 4 && s[1] == "oauth2" && s[3] == "token") {
    if (request.method != "POST") return WorkdayError(405, "invalid_request", "use POST");
    const std::string auth = request.Header("authorization");
    const std::string client = auth.rfind("Basic ", 0) == 0 ? Base64Decode(auth.substr(6)) : "";
    if (client !=
        std::string(Credentials::kWorkdayClientId) + ":" + Credentials::kWorkdayClientSecret) {
      return Response::JsonBody(401, {{"error", "invalid_client"},
                                      {"error_description", "client authentication failed"}});
    }
    std::map<std::string, std::string> form;
    for (const auto& [key, value] : ParseForm(request.body)) form[key] = value;
    if (form["grant_type"] != "refresh_token" ||
        form["refresh_token"] != Credentials::kWorkdayRefreshToken) {
      return Response::JsonBody(400, {{"error", "invalid_grant"},
                                      {"error_description", "the refresh token is not valid"}});
    }
    const long long ttl = 3600;
    return Response::JsonBody(
        200, {{"access_token", IssueToken("workday", ttl)},
              {"token_type", "Bearer"},
              {"expires_in", token_ttl_override_ >= 0 ? token_ttl_override_ : ttl}});
  }
  if (!BearerValid("workday", request)) {
    return WorkdayError(401, "invalid_token", "the access token is invalid or expired");
  }
  // ccx / api / v1 / tenant / workers [/ id]
  if (s.size() < 5 || s[1] != "api" || s[4] != "workers" || request.method != "GET") {
    return WorkdayError(404, "not_found", "no such resource " + request.path);
  }
  if (s.size() == 6) {
    auto it = workers_.find(s[5]);
    if (it == workers_.end()) return WorkdayError(404, "not_found", "Invalid ID value: " + s[5]);
    return Response::JsonBody(200, it->second);
  }
  const std::string search = Lower(request.Query("search"));
  Json data = Json::array();
  for (const auto& [id, worker] : workers_) {
    if (search.empty() || Lower(worker.dump()).find(search) != std::string::npos) {
      data.push_back(worker);
    }
  }
  return Response::JsonBody(200, {{"total", data.size()}, {"data", data}});
}

Response StandIn::Features(const Request& request) {
  const auto& s = request.segments;  // features / organizations / id / premium
  if (s.size() != 4 || s[1] != "organizations" || s[3] != "premium") {
    return Response::JsonBody(404, {{"error", {{"code", "not_found"}, {"message", request.path}}}});
  }
  const std::string& org = s[2];
  if (request.method == "PUT" || request.method == "POST") {
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("enabled") || !body["enabled"].is_boolean()) {
      return Response::JsonBody(
          400,
          {{"error", {{"code", "bad_request"}, {"message", "send {\"enabled\": true|false}"}}}});
    }
    features_[org] = {
        {"organization_id", org}, {"enabled", body["enabled"]}, {"updated_at", NowIso()}};
  } else if (request.method != "GET") {
    return Response::JsonBody(
        405, {{"error", {{"code", "method_not_allowed"}, {"message", "GET or PUT"}}}});
  }
  auto it = features_.find(org);
  return Response::JsonBody(
      200, it != features_.end() ? it->second : Json{{"organization_id", org}, {"enabled", false}});
}

}  // namespace sagaflow::standin
