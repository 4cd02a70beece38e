// POST /webhooks/stripe and POST /webhooks/{source}: verify the signature
// over the raw bytes received, then parse, match the event to the workflows
// whose webhook triggers listen to it, and record the event with its runs in
// one commit (deduplicated by event id). The answer comes once the runs are
// recorded, not when they finish. Rate-limited per client address before
// anything else.
#include "engine/api.hpp"
#include "engine/metrics.hpp"
#include "engine/stripe_signature.hpp"
#include "engine/time_format.hpp"
#include "engine/webhook_intake.hpp"

namespace sagaflow {
namespace {

constexpr size_t kMaxEventIdBytes = 255;

void DescribeWebhookMetrics() {
  using Type = MetricsRegistry::Type;
  Metrics().Describe("sagaflow_webhook_events_total", Type::kCounter,
                     "Verified webhook deliveries by source and outcome (started, "
                     "duplicate, ignored: no workflow listens).");
  Metrics().Describe("sagaflow_webhook_refused_total", Type::kCounter,
                     "Webhook deliveries refused before anything started, by source and reason.");
}

ApiError Refuse(const std::string& source, const std::string& reason, const std::string& code,
                const std::string& message) {
  Metrics().Add("sagaflow_webhook_refused_total", {{"source", source}, {"reason", reason}});
  return ApiError(ApiErrorKind::kBadRequest, code, message);
}

void CheckSignature(const std::string& source, SignatureCheck check) {
  if (check == SignatureCheck::kValid) return;
  // The message says what was wrong with the request, never anything about
  // the secrets or the signature we expected.
  throw Refuse(source, SignatureCheckLabel(check), "invalid_signature",
               SignatureCheckMessage(check));
}

Json ParseEvent(const std::string& source, const std::string& body) {
  Json payload = Json::parse(body, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    throw Refuse(source, "malformed_event", "malformed_event",
                 "the signed body is not a JSON object");
  }
  return payload;
}

std::string RequireField(const std::string& source, const std::optional<std::string>& value,
                         const std::string& what, const std::string& where) {
  if (!value) {
    throw Refuse(source, "malformed_event", "malformed_event",
                 "the event has no " + what + " (" + where + ")");
  }
  if (value->size() > kMaxEventIdBytes) {
    throw Refuse(source, "malformed_event", "malformed_event",
                 "the event's " + what + " is over " + std::to_string(kMaxEventIdBytes) + " bytes");
  }
  return *value;
}

std::optional<std::string> StringField(const Json& payload, const char* key) {
  if (!payload.contains(key) || !payload[key].is_string()) return std::nullopt;
  std::string value = payload[key].get<std::string>();
  if (value.empty()) return std::nullopt;
  return value;
}

// Matches, records and answers a verified, parsed event.
HttpResponse Accept(Engine& engine, WebhookEvent event) {
  const WebhookPlan plan =
      PlanWebhookRuns(engine.catalog().LatestAll(), event, engine.config().EnvForExpressions());
  WebhookDelivery delivery;
  delivery.source = event.source;
  delivery.event_id = event.id;
  delivery.event_type = event.type;
  delivery.payload = std::move(event.payload);
  delivery.runs = plan.runs;
  delivery.rejected = plan.rejected;
  const WebhookDeliveryResult recorded = engine.store().RecordWebhookEvent(delivery);
  const char* outcome = !recorded.first         ? "duplicate"
                        : recorded.runs.empty() ? "ignored"
                                                : "started";
  Metrics().Add("sagaflow_webhook_events_total", {{"source", event.source}, {"outcome", outcome}});
  return HttpResponse::FromJson(200, Json{{"received", true},
                                          {"source", event.source},
                                          {"event_id", event.id},
                                          {"type", event.type},
                                          {"duplicate", !recorded.first},
                                          {"received_at", FormatIso(recorded.received_at)},
                                          {"runs", recorded.runs},
                                          {"rejected", recorded.rejected}});
}

HttpResponse Stripe(Engine& engine, const HttpRequest& request) {
  const WebhookConfig& config = engine.webhooks();
  if (config.stripe_secrets.empty()) {
    throw ApiError(ApiErrorKind::kNotFound, "unknown_webhook_source",
                   "Stripe webhooks are not configured (SAGAFLOW_STRIPE_WEBHOOK_SECRETS)");
  }
  // The raw bytes, before any parsing: re-serialised JSON would not match.
  CheckSignature("stripe", VerifyStripeSignature(request.Header("Stripe-Signature"), request.body,
                                                 config.stripe_secrets, config.stripe_tolerance,
                                                 Clock::now()));
  WebhookEvent event;
  event.source = "stripe";
  event.payload = ParseEvent("stripe", request.body);
  event.id = RequireField("stripe", StringField(event.payload, "id"), "id", "field id");
  event.type = RequireField("stripe", StringField(event.payload, "type"), "type", "field type");
  return Accept(engine, std::move(event));
}

HttpResponse Generic(Engine& engine, const HttpRequest& request) {
  const std::string& name = request.params.at("source");
  const auto& sources = engine.webhooks().sources;
  const auto it = sources.find(name);
  if (it == sources.end()) {
    throw ApiError(ApiErrorKind::kNotFound, "unknown_webhook_source",
                   "no webhook source named '" + name + "' is configured");
  }
  const GenericWebhookSource& source = it->second;
  const std::optional<std::string> timestamp =
      source.timestamp_header.empty() ? std::nullopt : request.Header(source.timestamp_header);
  CheckSignature(name,
                 VerifyGenericSignature(source.scheme, request.Header(source.signature_header),
                                        timestamp, request.body, Clock::now()));
  WebhookEvent event;
  event.source = name;
  event.payload = ParseEvent(name, request.body);
  event.id = RequireField(name, source.event_id.Read(request, event.payload), "event id",
                          source.event_id.Describe());
  // An event without a type can still start workflows that listen to "*".
  event.type = source.event_type.Read(request, event.payload).value_or("");
  if (event.type.size() > kMaxEventIdBytes) event.type.resize(kMaxEventIdBytes);
  return Accept(engine, std::move(event));
}

}  // namespace

void AddWebhookRoutes(Router& router, Engine& engine) {
  DescribeWebhookMetrics();
  const Config& config = engine.config();
  // One bucket per client address, shared by every webhook route.
  auto limiter = std::make_shared<RateLimiter>(
      RateLimitOptions{config.webhook_rate_limit, config.webhook_rate_burst});
  auto by_address = [](const HttpRequest& request, const Caller&) {
    return request.remote_address;
  };
  router.Add({"POST", "/webhooks/stripe", Access::kWebhook,
              api::RateLimited(
                  limiter, "webhooks", by_address,
                  [&engine](const HttpRequest& r, const Caller&) { return Stripe(engine, r); })});
  router.Add({"POST", "/webhooks/{source}", Access::kWebhook,
              api::RateLimited(
                  limiter, "webhooks", by_address,
                  [&engine](const HttpRequest& r, const Caller&) { return Generic(engine, r); })});
}

}  // namespace sagaflow
