#include "examples/standin/standin.hpp"

#include <chrono>
#include <thread>

namespace sagaflow::standin {
namespace {

std::string SystemOf(const Request& request) {
  const std::string& path = request.path;
  auto starts = [&](const char* prefix) { return path.rfind(prefix, 0) == 0; };
  if (starts("/_control/") || path == "/_control") return "control";
  if (starts("/oauth/") || starts("/api/v1/")) return "scalekit";
  if (starts("/services/")) return "salesforce";
  if (starts("/v1/")) return "stripe";
  if (starts("/ccx/")) return "workday";
  if (starts("/features/")) return "features";
  if (starts("/hooks/") || path == "/hooks") return "hooks";
  return "";
}

const char* GrpcName(int code) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : "UNKNOWN";
}

int GrpcCodeFor(int status) {
  switch (status) {
    case 400:
      return 3;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 5;
    case 409:
      return 6;
    case 429:
      return 8;
    case 501:
      return 12;
    case 503:
      return 14;
    case 504:
      return 4;
    default:
      return status >= 500 ? 13 : 2;
  }
}

std::string SalesforceCodeFor(int status) {
  switch (status) {
    case 400:
      return "INVALID_FIELD";
    case 401:
      return "INVALID_SESSION_ID";
    case 403:
      return "REQUEST_LIMIT_EXCEEDED";
    case 404:
      return "NOT_FOUND";
    case 503:
      return "SERVER_UNAVAILABLE";
    default:
      return status >= 500 ? "UNKNOWN_EXCEPTION" : "INVALID_REQUEST";
  }
}

}  // namespace

Json ScalekitError(int http_status, const std::string& message, const std::string& error_code) {
  const int code = GrpcCodeFor(http_status);
  return Json{{"code", code},
              {"message", message},
              {"details",
               Json::array({{{"@type", "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo"},
                             {"error_code", error_code.empty() ? GrpcName(code) : error_code}}})}};
}

Json SalesforceError(const std::string& code, const std::string& message) {
  return Json::array({{{"message", message}, {"errorCode", code}, {"fields", Json::array()}}});
}

Json StripeError(const std::string& type, const std::string& code, const std::string& message,
                 const std::string& param) {
  Json error{{"type", type}, {"message", message}};
  if (!code.empty()) error["code"] = code;
  if (!param.empty()) error["param"] = param;
  error["doc_url"] = "https://stripe.com/docs/error-codes" + (code.empty() ? "" : "/" + code);
  return Json{{"error", error}};
}

Json Fault::ToJson() const {
  Json out{{"id", id},
           {"system", system},
           {"method", method},
           {"path", path},
           {"times", times},
           {"status", status},
           {"delay_ms", delay_ms},
           {"reset", reset},
           {"error_code", error_code}};
  if (body) out["body"] = *body;
  return out;
}

StandIn::StandIn(bool seed_default_data) : seed_default_(seed_default_data) {
  std::lock_guard lock(mutex_);
  ResetLocked(seed_default_);
}

std::string StandIn::NextId(const std::string& prefix) {
  return prefix + std::to_string(70000000000000000LL + ++counter_);
}

std::string StandIn::IssueToken(const std::string& system, long long ttl_seconds) {
  const std::string token = "tok_" + system + "_" + std::to_string(++counter_);
  const long long ttl = token_ttl_override_ >= 0 ? token_ttl_override_ : ttl_seconds;
  tokens_[token] = Token{system, NowUnix() + ttl};
  return token;
}

bool StandIn::BearerValid(const std::string& system, const Request& request) const {
  const std::string header = request.Header("authorization");
  if (header.rfind("Bearer ", 0) != 0) return false;
  auto it = tokens_.find(header.substr(7));
  return it != tokens_.end() && it->second.system == system && it->second.expires_at > NowUnix();
}

std::optional<Fault> StandIn::TakeFaultLocked(const std::string& system, const Request& request) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    Fault& fault = *it;
    if (!fault.system.empty() && fault.system != system) continue;
    if (!fault.method.empty() && Lower(fault.method) != Lower(request.method)) continue;
    if (!fault.path.empty() && !GlobMatch(fault.path, request.path)) continue;
    Fault taken = fault;
    if (fault.times > 0 && --fault.times == 0) faults_.erase(it);
    return taken;
  }
  return std::nullopt;
}

Response StandIn::FaultResponse(const std::string& system, const Fault& fault) const {
  const std::string message = fault.message.empty() ? "injected fault" : fault.message;
  Json body;
  if (fault.body) {
    body = *fault.body;
  } else if (system == "scalekit") {
    body = ScalekitError(fault.status, message, fault.error_code);
  } else if (system == "salesforce") {
    body = SalesforceError(
        fault.error_code.empty() ? SalesforceCodeFor(fault.status) : fault.error_code, message);
  } else if (system == "stripe") {
    const std::string type = fault.status >= 500   ? "api_error"
                             : fault.status == 402 ? "card_error"
                                                   : "invalid_request_error";
    std::string code = fault.error_code;
    if (code.empty() && fault.status == 429) code = "rate_limit";
    body = StripeError(type, code, message);
  } else if (system == "workday") {
    body = Json{{"error", fault.error_code.empty() ? "error" : fault.error_code},
                {"errors", Json::array({{{"error", message}}})}};
  } else {
    body = Json{{"error",
                 {{"code", fault.error_code.empty() ? "injected" : fault.error_code},
                  {"message", message}}}};
  }
  Response response = Response::JsonBody(fault.status, body);
  for (const auto& header : fault.headers) response.headers.push_back(header);
  return response;
}

Response StandIn::Handle(Request request) {
  const std::string system = SystemOf(request);
  if (system == "control") return Control(request);
  if (system.empty()) {
    return Response::JsonBody(
        404,
        {{"error", {{"code", "not_found"}, {"message", "no stand-in route " + request.path}}}});
  }

  std::optional<Fault> fault;
  long long seq = 0;
  {
    std::lock_guard lock(mutex_);
    Json headers = Json::object();
    for (const auto& [name, value] : request.headers) headers[name] = value;
    Json query = Json::object();
    for (const auto& [name, value] : request.query) query[name] = value;
    log_.push_back({{"seq", ++log_seq_},
                    {"time", NowIso()},
                    {"system", system},
                    {"method", request.method},
                    {"path", request.path},
                    {"target", request.target},
                    {"query", query},
                    {"headers", headers},
                    {"body", request.body},
                    {"proxied", request.proxied},
                    {"connection", request.connection_id},
                    {"status", nullptr},
                    {"fault", nullptr}});
    seq = log_seq_;
    fault = TakeFaultLocked(system, request);
    if (fault) log_.back()["fault"] = fault->id;
  }
  auto finish = [&](Response response) {
    std::lock_guard lock(mutex_);
    // The log may have been cleared meanwhile; find the entry by its number.
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
      if ((*it)["seq"] == seq) {
        (*it)["status"] = response.reset ? Json("reset") : Json(response.status);
        break;
      }
    }
    return response;
  };

  if (fault && fault->delay_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
  }
  if (fault && fault->reset == "before") {
    Response reset;
    reset.reset = true;
    return finish(reset);
  }
  if (fault && fault->status > 0) return finish(FaultResponse(system, *fault));

  Response response;
  {
    std::lock_guard lock(mutex_);
    if (system == "scalekit") {
      response = Scalekit(request);
    } else if (system == "salesforce") {
      response = Salesforce(request);
    } else if (system == "stripe") {
      response = Stripe(request);
    } else if (system == "workday") {
      response = Workday(request);
    } else if (system == "features") {
      response = Features(request);
    } else {
      response = Response::JsonBody(200, {{"ok", true}});
    }
  }
  if (fault && fault->reset == "after") response.reset = true;
  return finish(response);
}

}  // namespace sagaflow::standin
