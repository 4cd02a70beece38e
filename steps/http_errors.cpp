#include "steps/http_errors.hpp"

#include <ctime>

#include "engine/json.hpp"

namespace sagaflow::steps {
namespace {

const char* GrpcCodeName(int code) {
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
  return code >= 0 && code <= 16 ? kNames[code] : "";
}

std::string Text(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// {"code": 5, "message": "...", "details": [{"error_code": "...", ...}]}
VendorError FromScalekit(const Json& body) {
  VendorError error;
  if (!body.is_object()) return error;
  error.message = Text(body, "message");
  if (auto details = body.find("details"); details != body.end() && details->is_array()) {
    for (const auto& detail : *details) {
      if (error.code.empty()) error.code = Text(detail, "error_code");
      auto info = detail.is_object() ? detail.find("validation_error_info") : detail.end();
      if (detail.is_object() && info != detail.end() && info->is_object()) {
        for (const auto& violation : info->value("field_violations", Json::array())) {
          error.message += "; " + Text(violation, "field") + ": " + Text(violation, "description");
        }
      }
    }
  }
  if (error.code.empty() && body.contains("code") && body["code"].is_number_integer()) {
    error.code = GrpcCodeName(body["code"].get<int>());
  }
  return error;
}

// {"error": {"type", "code", "message", "param"}}
VendorError FromStripe(const Json& body) {
  VendorError error;
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return error;
  const Json& e = body["error"];
  error.code = Text(e, "code");
  if (error.code.empty()) error.code = Text(e, "type");
  error.message = Text(e, "message");
  return error;
}

// [{"message", "errorCode", "fields"}]
VendorError FromSalesforce(const Json& body) {
  VendorError error;
  if (!body.is_array() || body.empty()) return error;
  error.code = Text(body[0], "errorCode");
  error.message = Text(body[0], "message");
  for (size_t i = 1; i < body.size(); ++i) error.message += "; " + Text(body[i], "message");
  return error;
}

// OAuth {"error", "error_description"}, {"error": {"code","message"}},
// {"code","message"}, {"errors": [{...}]}, {"message"}.
VendorError FromGeneric(const Json& body) {
  VendorError error;
  if (body.is_array() && !body.empty()) return FromGeneric(body[0]);
  if (!body.is_object()) return error;
  if (auto e = body.find("error"); e != body.end()) {
    if (e->is_string()) {
      error.code = e->get<std::string>();
      error.message = Text(body, "error_description");
      if (error.message.empty()) error.message = Text(body, "message");
      return error;
    }
    if (e->is_object()) {
      error.code = Text(*e, "code");
      if (error.code.empty()) error.code = Text(*e, "type");
      error.message = Text(*e, "message");
      return error;
    }
  }
  if (auto errors = body.find("errors"); errors != body.end() && errors->is_array()) {
    if (!errors->empty()) {
      VendorError first = FromGeneric((*errors)[0]);
      if (first.code.empty()) first.code = Text((*errors)[0], "error");
      return first;
    }
  }
  error.code = body.contains("code") && body["code"].is_string() ? Text(body, "code") : "";
  if (error.code.empty()) error.code = Text(body, "errorCode");
  error.message = Text(body, "message");
  if (error.message.empty()) error.message = Text(body, "error_description");
  return error;
}

std::string Describe(const ErrorContext& context) {
  std::string text = context.system.empty() ? "" : context.system + ": ";
  return text + context.what;
}

StepResult WithRetryAfter(StepResult result, const HttpResponse& response,
                          const ErrorContext& context) {
  if (auto header = response.Header("retry-after")) {
    result.retry_after = ParseRetryAfter(*header, context.now);
  }
  return result;
}

}  // namespace

const char* VendorName(Vendor vendor) {
  switch (vendor) {
    case Vendor::kScalekit:
      return "scalekit";
    case Vendor::kSalesforce:
      return "salesforce";
    case Vendor::kStripe:
      return "stripe";
    case Vendor::kWorkday:
      return "workday";
    case Vendor::kGeneric:
      return "generic";
  }
  return "generic";
}

std::optional<Vendor> VendorFromName(std::string_view name) {
  for (Vendor v : {Vendor::kGeneric, Vendor::kScalekit, Vendor::kSalesforce, Vendor::kStripe,
                   Vendor::kWorkday}) {
    if (name == VendorName(v)) return v;
  }
  return std::nullopt;
}

VendorError ParseVendorError(Vendor vendor, std::string_view body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    VendorError error;
    error.message = std::string(body.substr(0, 300));
    return error;
  }
  VendorError error;
  switch (vendor) {
    case Vendor::kScalekit:
      error = FromScalekit(parsed);
      break;
    case Vendor::kStripe:
      error = FromStripe(parsed);
      break;
    case Vendor::kSalesforce:
      error = FromSalesforce(parsed);
      break;
    default:
      break;
  }
  if (error.code.empty() && error.message.empty()) error = FromGeneric(parsed);
  return error;
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, TimePoint now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  bool digits = true;
  for (char c : value) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    if (value.size() > 9) return std::chrono::hours(24 * 365);  // absurdly long: cap
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (!end) return std::nullopt;
  const TimePoint when = Clock::from_time_t(timegm(&tm));
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

bool IsSystemFailure(const HttpResponse& response) {
  switch (response.error) {
    case TransportError::kNone:
      return response.status == 408 || response.status >= 500;
    case TransportError::kBadUrl:
    case TransportError::kTlsVerify:
    case TransportError::kTooLarge:
      return false;
    default:
      return true;
  }
}

bool IsUnauthorized(const HttpResponse& response) {
  return response.has_response() && response.status == 401;
}

StepResult ClassifyFailure(const HttpResponse& response, const ErrorContext& context) {
  if (!response.has_response()) {
    const std::string code = TransportErrorName(response.error);
    const std::string message = Describe(context) + ": " + response.error_message;
    switch (response.error) {
      case TransportError::kBadUrl:
      case TransportError::kTlsVerify:
      case TransportError::kTooLarge:
        return StepResult::Final(code, message);
      default: {
        StepResult result = StepResult::Retryable(code, message);
        // Sent but unanswered: the server may have acted on it.
        result.outcome_uncertain = response.request_sent;
        return result;
      }
    }
  }

  const int status = response.status;
  const VendorError vendor = ParseVendorError(context.vendor, response.body);
  const std::string code = vendor.code.empty() ? "http_" + std::to_string(status) : vendor.code;
  std::string message = Describe(context) + " returned " + std::to_string(status);
  if (!vendor.message.empty()) message += ": " + vendor.message;
  if (!vendor.code.empty()) message += " (" + vendor.code + ")";

  if (context.vendor == Vendor::kStripe) {
    if (auto should = response.Header("stripe-should-retry")) {
      if (*should == "true")
        return WithRetryAfter(StepResult::Retryable(code, message), response, context);
      if (*should == "false") return StepResult::Final(code, message);
    }
    if (status == 409)
      return WithRetryAfter(StepResult::Retryable(code, message), response, context);
  }
  if (context.vendor == Vendor::kSalesforce && vendor.code == "REQUEST_LIMIT_EXCEEDED") {
    StepResult result = WithRetryAfter(StepResult::Retryable(code, message), response, context);
    if (!result.retry_after) result.retry_after = context.request_limit_retry_after;
    return result;
  }
  if (status == 408 || status == 429 || status >= 500) {
    StepResult result = WithRetryAfter(StepResult::Retryable(code, message), response, context);
    // A gateway that gave up waiting does not know what the server did.
    result.outcome_uncertain = status == 504;
    return result;
  }
  return StepResult::Final(code, message);
}

}  // namespace sagaflow::steps
