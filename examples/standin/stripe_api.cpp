// Stripe's form-encoded API for Customers (create, read, update, delete)
// and Subscriptions (read), with its error objects, Request-Id headers and
// idempotency: a POST repeated with the same Idempotency-Key and the same
// parameters replays the first answer with `Idempotent-Replayed: true`;
// different parameters get 400 idempotency_error. Metadata merges;
// `metadata[k]=` deletes k and `metadata=` clears all. Called with the
// stand-in's lock held.
#include "examples/standin/standin.hpp"

namespace sagaflow::standin {
namespace {

Response StripeFail(int status, const std::string& type, const std::string& code,
                    const std::string& message, const std::string& param = "") {
  return Response::JsonBody(status, StripeError(type, code, message, param));
}

// Applies form fields to a customer; returns an error answer for unknown ones.
std::optional<Response> ApplyCustomerFields(Json& customer, const Pairs& form) {
  for (const auto& [name, value] : form) {
    if (name == "email" || name == "name" || name == "description" || name == "phone") {
      customer[name] = value.empty() ? Json() : Json(value);
    } else if (name == "metadata") {
      if (!value.empty()) {
        return StripeFail(400, "invalid_request_error", "parameter_invalid_string",
                          "Invalid metadata: pass metadata[key]=value, or an empty value to clear",
                          "metadata");
      }
      customer["metadata"] = Json::object();
    } else if (name.rfind("metadata[", 0) == 0 && name.back() == ']') {
      const std::string key = name.substr(9, name.size() - 10);
      if (key.empty() || key.size() > 40) {
        return StripeFail(400, "invalid_request_error", "parameter_invalid_string",
                          "Metadata keys must have 1 to 40 characters", name);
      }
      if (value.empty()) {
        customer["metadata"].erase(key);
      } else {
        customer["metadata"][key] = value;
      }
    } else {
      return StripeFail(400, "invalid_request_error", "parameter_unknown",
                        "Received unknown parameter: " + name, name);
    }
  }
  return std::nullopt;
}

}  // namespace

Response StandIn::Stripe(const Request& request) {
  const std::string auth = request.Header("authorization");
  if (auth != std::string("Bearer ") + Credentials::kStripeApiKey) {
    return StripeFail(
        401, "invalid_request_error", "",
        "Invalid API Key provided: " + (auth.size() > 7 ? auth.substr(7, 12) : "none"));
  }
  const std::string key = request.Header("idempotency-key");
  const std::string fingerprint = request.method + " " + request.path + " " + request.body;
  if (request.method == "POST" && !key.empty()) {
    if (key.size() > 255) {
      return StripeFail(400, "invalid_request_error", "",
                        "Idempotency-Key is longer than 255 characters");
    }
    if (auto it = idempotency_.find(key); it != idempotency_.end()) {
      if (it->second.fingerprint != fingerprint) {
        return StripeFail(400, "idempotency_error", "",
                          "Keys for idempotent requests can only be used with the same parameters "
                          "they were first used with.");
      }
      Response replay;
      replay.status = it->second.status;
      replay.body = it->second.body;
      replay.headers = {{"Content-Type", "application/json"}, {"Idempotent-Replayed", "true"}};
      replay.headers.emplace_back("Request-Id", "req_" + std::to_string(++counter_));
      return replay;
    }
  }

  const auto& s = request.segments;  // v1, resource, id
  const Pairs form = ParseForm(request.body);
  Response response;
  if (s.size() == 2 && s[1] == "customers" && request.method == "POST") {
    Json customer{{"id", NextId("cus_")},       {"object", "customer"}, {"created", NowUnix()},
                  {"email", nullptr},           {"name", nullptr},      {"description", nullptr},
                  {"metadata", Json::object()}, {"livemode", false}};
    if (auto bad = ApplyCustomerFields(customer, form)) return *bad;
    customers_[customer["id"]] = customer;
    response = Response::JsonBody(200, customer);
  } else if (s.size() == 3 && s[1] == "customers") {
    auto it = customers_.find(s[2]);
    const bool deleted = it != customers_.end() && it->second.value("deleted", false);
    if (it == customers_.end() || (deleted && request.method != "GET")) {
      return StripeFail(404, "invalid_request_error", "resource_missing",
                        "No such customer: '" + s[2] + "'", "id");
    }
    Json& customer = it->second;
    if (request.method == "GET") {
      response = Response::JsonBody(
          200, deleted ? Json{{"id", s[2]}, {"object", "customer"}, {"deleted", true}} : customer);
    } else if (request.method == "POST") {
      Json updated = customer;
      if (auto bad = ApplyCustomerFields(updated, form)) return *bad;
      customer = updated;
      response = Response::JsonBody(200, customer);
    } else if (request.method == "DELETE") {
      customer["deleted"] = true;
      response = Response::JsonBody(200, {{"id", s[2]}, {"object", "customer"}, {"deleted", true}});
    } else {
      return StripeFail(405, "invalid_request_error", "", "Unrecognized request URL");
    }
  } else if (s.size() == 3 && s[1] == "subscriptions" && request.method == "GET") {
    auto it = subscriptions_.find(s[2]);
    if (it == subscriptions_.end()) {
      return StripeFail(404, "invalid_request_error", "resource_missing",
                        "No such subscription: '" + s[2] + "'", "id");
    }
    response = Response::JsonBody(200, it->second);
  } else {
    return StripeFail(404, "invalid_request_error", "",
                      "Unrecognized request URL (" + request.method + ": " + request.path + ")");
  }
  response.headers.emplace_back("Request-Id", "req_" + std::to_string(++counter_));
  if (request.method == "POST" && !key.empty() && response.status != 400) {
    idempotency_[key] = Replay{fingerprint, response.status, response.body};
  }
  return response;
}

}  // namespace sagaflow::standin
