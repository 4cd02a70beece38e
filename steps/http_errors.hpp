// How every HTTP-calling step turns a failed exchange into a StepResult, in
// one place:
//
//   network errors, timeouts, 408, 429, 5xx          -> retryable
//   Salesforce 403 REQUEST_LIMIT_EXCEEDED            -> retryable (not soon)
//   Stripe: 409 and `Stripe-Should-Retry: true`      -> retryable;
//           `Stripe-Should-Retry: false`             -> final
//   other 4xx (and 3xx: redirects are not followed)  -> final
//   bad URL, TLS verification, oversized response    -> final
//
// A server's Retry-After (seconds or an HTTP date) becomes retry_after. The
// step error carries the vendor's own error code and message when its body
// has them (Scalekit's ErrorInfo.error_code, Stripe's error.code or type,
// Salesforce's errorCode, OAuth's `error`), else `http_<status>`. A failure
// after the request went out without an answer is marked outcome_uncertain.
// 401 is classified final here; the caller refreshes its token once first.
//
// Pure functions; any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/step.hpp"
#include "steps/http_client.hpp"

namespace sagaflow::steps {

enum class Vendor { kGeneric, kScalekit, kSalesforce, kStripe, kWorkday };
const char* VendorName(Vendor vendor);
std::optional<Vendor> VendorFromName(std::string_view name);

struct VendorError {
  std::string code;     // empty when the body names none
  std::string message;  // empty when the body says nothing readable
};

// Reads the vendor's error code and message from an error body.
VendorError ParseVendorError(Vendor vendor, std::string_view body);

// "120" or an IMF-fixdate such as "Wed, 21 Oct 2026 07:28:00 GMT"; nullopt
// when it is neither. A date in the past gives zero.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, TimePoint now);

struct ErrorContext {
  Vendor vendor = Vendor::kGeneric;
  std::string system;  // the connection or host, for the message
  std::string what;    // e.g. "PATCH /api/v1/organizations/org_1"
  // Used for Salesforce's REQUEST_LIMIT_EXCEEDED without a Retry-After.
  std::chrono::milliseconds request_limit_retry_after{60'000};
  TimePoint now = Clock::now();
};

// The StepResult for a transport failure or an unwanted status.
StepResult ClassifyFailure(const HttpResponse& response, const ErrorContext& context);

// Whether this exchange counts as a failure of the remote system for its
// circuit breaker: transport failures (not bad URLs, TLS verification or
// oversized bodies), 408 and 5xx. Any other answer shows the system is up.
bool IsSystemFailure(const HttpResponse& response);

// Whether the answer asks for a fresh access token (401).
bool IsUnauthorized(const HttpResponse& response);

}  // namespace sagaflow::steps
