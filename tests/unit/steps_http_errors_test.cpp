// Pure tests of how HTTP exchanges become step results (steps/http_errors.hpp).
#include <catch2/catch.hpp>

#include "steps/http_errors.hpp"

namespace {

using namespace sagaflow;
using namespace sagaflow::steps;
using namespace std::chrono_literals;
using Kind = StepResult::Kind;

HttpResponse Answer(int status, std::string body, HttpHeaders headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  response.request_sent = true;
  return response;
}

HttpResponse Failed(TransportError error, bool sent) {
  HttpResponse response;
  response.error = error;
  response.error_message = "it broke";
  response.request_sent = sent;
  return response;
}

ErrorContext For(Vendor vendor) {
  ErrorContext context;
  context.vendor = vendor;
  context.system = VendorName(vendor);
  context.what = "GET /x";
  return context;
}

}  // namespace

TEST_CASE("Retry-After: seconds, HTTP dates, nonsense", "[steps][http_errors]") {
  const TimePoint now = Clock::from_time_t(1'800'000'000);
  CHECK(ParseRetryAfter("120", now) == std::optional(std::chrono::milliseconds(120s)));
  CHECK(ParseRetryAfter(" 5 ", now) == std::optional(std::chrono::milliseconds(5s)));
  // 1800000000 is Fri, 15 Jan 2027 08:00:00 GMT.
  CHECK(ParseRetryAfter("Fri, 15 Jan 2027 08:00:30 GMT", now) ==
        std::optional(std::chrono::milliseconds(30s)));
  CHECK(ParseRetryAfter("Fri, 15 Jan 2027 07:00:00 GMT", now) ==
        std::optional(std::chrono::milliseconds(0)));
  CHECK_FALSE(ParseRetryAfter("soon", now).has_value());
  CHECK_FALSE(ParseRetryAfter("", now).has_value());
  CHECK_FALSE(ParseRetryAfter("-3", now).has_value());
}

TEST_CASE("vendor error bodies give their code and message", "[steps][http_errors]") {
  const auto scalekit = ParseVendorError(
      Vendor::kScalekit,
      R"({"code":3,"message":"invalid request","details":[{"@type":"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo","error_code":"INVALID_METADATA","validation_error_info":{"field_violations":[{"field":"metadata","description":"too many pairs"}]}}]})");
  CHECK(scalekit.code == "INVALID_METADATA");
  CHECK(scalekit.message == "invalid request; metadata: too many pairs");
  CHECK(ParseVendorError(Vendor::kScalekit, R"({"code":5,"message":"not found"})").code ==
        "NOT_FOUND");

  const auto stripe = ParseVendorError(
      Vendor::kStripe,
      R"({"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such customer"}})");
  CHECK(stripe.code == "resource_missing");
  CHECK(stripe.message == "No such customer");
  CHECK(ParseVendorError(Vendor::kStripe, R"({"error":{"type":"api_error","message":"x"}})").code ==
        "api_error");

  const auto salesforce = ParseVendorError(
      Vendor::kSalesforce,
      R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"},{"message":"and more"}])");
  CHECK(salesforce.code == "INVALID_SESSION_ID");
  CHECK(salesforce.message == "Session expired or invalid; and more");

  const auto oauth = ParseVendorError(Vendor::kSalesforce,
                                      R"({"error":"invalid_grant","error_description":"expired"})");
  CHECK(oauth.code == "invalid_grant");
  CHECK(oauth.message == "expired");

  const auto workday = ParseVendorError(
      Vendor::kWorkday, R"({"error":"not_found","errors":[{"error":"Invalid ID"}]})");
  CHECK(workday.code == "not_found");

  const auto text = ParseVendorError(Vendor::kGeneric, "<html>Bad Gateway</html>");
  CHECK(text.code.empty());
  CHECK(text.message == "<html>Bad Gateway</html>");
}

TEST_CASE("classification of answers", "[steps][http_errors]") {
  auto classify = [](int status, Vendor vendor = Vendor::kGeneric, std::string body = "{}",
                     HttpHeaders headers = {}) {
    return ClassifyFailure(Answer(status, std::move(body), std::move(headers)), For(vendor));
  };
  CHECK(classify(500).kind == Kind::kRetryableFailure);
  CHECK(classify(503).kind == Kind::kRetryableFailure);
  CHECK(classify(408).kind == Kind::kRetryableFailure);
  CHECK(classify(429).kind == Kind::kRetryableFailure);
  CHECK(classify(400).kind == Kind::kFinalFailure);
  CHECK(classify(404).kind == Kind::kFinalFailure);
  CHECK(classify(409).kind == Kind::kFinalFailure);
  CHECK(classify(401).kind == Kind::kFinalFailure);
  CHECK(classify(302).kind == Kind::kFinalFailure);  // redirects are not followed
  CHECK(classify(404).error_code == "http_404");
  CHECK_FALSE(classify(503).outcome_uncertain);
  CHECK(classify(504).outcome_uncertain);

  const auto limited = classify(429, Vendor::kGeneric, "{}", {{"retry-after", "3"}});
  CHECK(limited.retry_after == std::optional(std::chrono::milliseconds(3s)));
  const auto busy = classify(503, Vendor::kGeneric, "{}", {{"retry-after", "10"}});
  CHECK(busy.retry_after == std::optional(std::chrono::milliseconds(10s)));

  const auto final_4xx = classify(
      400, Vendor::kStripe,
      R"({"error":{"type":"invalid_request_error","code":"parameter_unknown","message":"Received unknown parameter: foo"}})");
  CHECK(final_4xx.error_code == "parameter_unknown");
  CHECK(final_4xx.message ==
        "stripe: GET /x returned 400: Received unknown parameter: foo (parameter_unknown)");

  // Salesforce's daily limit: retryable, but not soon.
  const auto daily = classify(
      403, Vendor::kSalesforce,
      R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])");
  CHECK(daily.kind == Kind::kRetryableFailure);
  CHECK(daily.retry_after == std::optional(std::chrono::milliseconds(60s)));
  CHECK(
      classify(403, Vendor::kSalesforce, R"([{"message":"no","errorCode":"INSUFFICIENT_ACCESS"}])")
          .kind == Kind::kFinalFailure);

  // Stripe says itself whether to retry.
  CHECK(classify(400, Vendor::kStripe, "{}", {{"stripe-should-retry", "true"}}).kind ==
        Kind::kRetryableFailure);
  CHECK(classify(500, Vendor::kStripe, "{}", {{"stripe-should-retry", "false"}}).kind ==
        Kind::kFinalFailure);
  CHECK(classify(409, Vendor::kStripe).kind == Kind::kRetryableFailure);
}

TEST_CASE("classification of transport failures", "[steps][http_errors]") {
  const auto timeout =
      ClassifyFailure(Failed(TransportError::kTimeout, true), For(Vendor::kStripe));
  CHECK(timeout.kind == Kind::kRetryableFailure);
  CHECK(timeout.error_code == "timeout");
  CHECK(timeout.outcome_uncertain);
  const auto refused =
      ClassifyFailure(Failed(TransportError::kConnect, false), For(Vendor::kGeneric));
  CHECK(refused.kind == Kind::kRetryableFailure);
  CHECK_FALSE(refused.outcome_uncertain);
  CHECK(ClassifyFailure(Failed(TransportError::kResolve, false), {}).kind ==
        Kind::kRetryableFailure);
  CHECK(ClassifyFailure(Failed(TransportError::kTlsVerify, false), {}).kind == Kind::kFinalFailure);
  CHECK(ClassifyFailure(Failed(TransportError::kBadUrl, false), {}).kind == Kind::kFinalFailure);
  CHECK(ClassifyFailure(Failed(TransportError::kTooLarge, true), {}).kind == Kind::kFinalFailure);
  CHECK(ClassifyFailure(Failed(TransportError::kTlsTimeout, false), {}).error_code ==
        "tls_timeout");
}

TEST_CASE("what counts against a circuit breaker", "[steps][http_errors]") {
  CHECK(IsSystemFailure(Answer(500, "")));
  CHECK(IsSystemFailure(Answer(503, "")));
  CHECK(IsSystemFailure(Answer(408, "")));
  CHECK_FALSE(IsSystemFailure(Answer(200, "")));
  CHECK_FALSE(IsSystemFailure(Answer(404, "")));
  CHECK_FALSE(IsSystemFailure(Answer(429, "")));
  CHECK(IsSystemFailure(Failed(TransportError::kTimeout, true)));
  CHECK(IsSystemFailure(Failed(TransportError::kConnect, false)));
  CHECK_FALSE(IsSystemFailure(Failed(TransportError::kTlsVerify, false)));
  CHECK_FALSE(IsSystemFailure(Failed(TransportError::kBadUrl, false)));
}
