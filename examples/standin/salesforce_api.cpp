// Salesforce's REST shapes: the client-credentials token endpoint (its
// answer names this server as instance_url and has no expires_in) and
// Account / Contact records under /services/data/vNN.N/sobjects. Records
// are free-form field maps: a field never set reads as null, PATCH with null
// clears it and answers 204 with no body. Errors are Salesforce's JSON
// arrays. Called with the stand-in's lock held.
#include "examples/standin/standin.hpp"

namespace sagaflow::standin {
namespace {

Response SfError(int status, const std::string& code, const std::string& message) {
  return Response::JsonBody(status, SalesforceError(code, message));
}

}  // namespace

Response StandIn::Salesforce(const Request& request) {
  const auto& s = request.segments;
  if (request.path == "/services/oauth2/token") {
    if (request.method != "POST") return SfError(405, "METHOD_NOT_ALLOWED", "use POST");
    std::map<std::string, std::string> form;
    for (const auto& [key, value] : ParseForm(request.body)) form[key] = value;
    if (form["grant_type"] != "client_credentials") {
      return Response::JsonBody(400, {{"error", "unsupported_grant_type"},
                                      {"error_description", "grant type not supported"}});
    }
    if (form["client_id"] != Credentials::kSalesforceClientId ||
        form["client_secret"] != Credentials::kSalesforceClientSecret) {
      return Response::JsonBody(
          400, {{"error", "invalid_client"}, {"error_description", "invalid client credentials"}});
    }
    const std::string token = IssueToken("salesforce", 7200);
    return Response::JsonBody(
        200, {{"access_token", token},
              {"instance_url", request.base_url},
              {"id", request.base_url + "/id/00D000000000001AAA/005000000000001AAA"},
              {"token_type", "Bearer"},
              {"issued_at", std::to_string(NowUnix() * 1000)},
              {"signature", "c3RhbmQtaW4="},
              {"scope", "api"}});
  }
  if (!BearerValid("salesforce", request)) {
    return SfError(401, "INVALID_SESSION_ID", "Session expired or invalid");
  }
  // services / data / vNN.N / sobjects / Object / Id
  if (s.size() != 6 || s[1] != "data" || s[3] != "sobjects") {
    return SfError(404, "NOT_FOUND", "The requested resource does not exist");
  }
  std::map<std::string, Json>* table = nullptr;
  if (s[4] == "Account") table = &accounts_;
  if (s[4] == "Contact") table = &contacts_;
  if (!table) return SfError(404, "NOT_FOUND", "The requested resource does not exist");
  auto it = table->find(s[5]);
  if (it == table->end()) {
    return SfError(404, "NOT_FOUND", "The requested resource does not exist");
  }
  Json& record = it->second;
  Response response;
  if (request.method == "GET") {
    Json out{{"attributes", {{"type", s[4]}, {"url", request.path}}}, {"Id", s[5]}};
    const std::string fields = request.Query("fields");
    if (fields.empty()) {
      for (const auto& [key, value] : record.items()) out[key] = value;
    } else {
      for (size_t start = 0; start < fields.size();) {
        size_t comma = fields.find(',', start);
        if (comma == std::string::npos) comma = fields.size();
        const std::string field = fields.substr(start, comma - start);
        if (field.empty() || field.find_first_of(" ;'\"") != std::string::npos) {
          return SfError(400, "INVALID_FIELD",
                         "No such column '" + field + "' on entity '" + s[4] + "'");
        }
        if (field != "Id") out[field] = record.contains(field) ? record[field] : Json();
        start = comma + 1;
      }
    }
    response = Response::JsonBody(200, out);
  } else if (request.method == "PATCH") {
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object())
      return SfError(400, "JSON_PARSER_ERROR", "The body is not a JSON object");
    if (body.contains("Id")) {
      return SfError(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Id");
    }
    for (const auto& [key, value] : body.items()) {
      if (value.is_null()) {
        record.erase(key);
      } else {
        record[key] = value;
      }
    }
    record["LastModifiedDate"] = NowIso();
    response = Response::Empty(204);
  } else {
    return SfError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + request.method + "' not allowed");
  }
  response.headers.emplace_back("Sforce-Limit-Info",
                                "api-usage=" + std::to_string(log_seq_) + "/15000");
  return response;
}

}  // namespace sagaflow::standin
