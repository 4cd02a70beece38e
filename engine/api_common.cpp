#include <algorithm>

#include "engine/api.hpp"
#include "engine/ids.hpp"
#include "engine/metrics.hpp"
#include "engine/spelling.hpp"

namespace sagaflow {
namespace api {

Json JsonBody(const HttpRequest& request, bool allow_empty) {
  const bool empty = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (empty && allow_empty) return Json::object();
  const std::string type = request.Header("Content-Type").value_or("");
  std::string media = type.substr(0, type.find(';'));
  media.erase(std::remove(media.begin(), media.end(), ' '), media.end());
  std::transform(media.begin(), media.end(), media.begin(), ::tolower);
  if (media != "application/json") {
    throw ApiError(
        ApiErrorKind::kUnsupportedMedia, "unsupported_media_type",
        "send the body as application/json" + (type.empty() ? std::string() : ", not " + type));
  }
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    // Parse again for the position of the problem.
    try {
      Json strict = Json::parse(request.body);
      (void)strict;
    } catch (const Json::parse_error& error) {
      throw ApiError(ApiErrorKind::kBadRequest, "malformed_json",
                     "the body is not valid JSON (at byte " + std::to_string(error.byte) + ")");
    }
  }
  if (!body.is_object()) {
    throw ApiError(ApiErrorKind::kBadRequest, "malformed_json", "the body must be a JSON object");
  }
  return body;
}

int Limit(const HttpRequest& request, int fallback, int max) {
  const auto text = request.QueryValue("limit");
  if (!text) return fallback;
  int value = 0;
  const bool digits = !text->empty() && text->size() <= 6 &&
                      text->find_first_not_of("0123456789") == std::string::npos;
  if (digits) value = std::stoi(*text);
  if (!digits || value < 1 || value > max) {
    throw ApiError(ApiErrorKind::kBadRequest, "bad_limit",
                   "limit must be a whole number from 1 to " + std::to_string(max));
  }
  return value;
}

std::string RunId(const HttpRequest& request) {
  const std::string& id = request.params.at("id");
  if (!LooksLikeUuid(id)) throw ApiError(ApiErrorKind::kNotFound, "run_not_found", "no run " + id);
  return id;
}

void RejectUnknownKeys(const Json& body, const std::vector<std::string>& allowed) {
  for (const auto& [key, _] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw ApiError(ApiErrorKind::kBadRequest, "unknown_field",
                     "unknown field '" + key + "'" + DidYouMean(key, allowed));
    }
  }
}

Handler RateLimited(std::shared_ptr<RateLimiter> limiter, std::string limit,
                    std::function<std::string(const HttpRequest&, const Caller&)> key,
                    Handler handler) {
  using Type = MetricsRegistry::Type;
  Metrics().Describe("sagaflow_rate_limit_per_second", Type::kGauge,
                     "Configured token refill rate per client (0: no limit).");
  Metrics().Describe("sagaflow_rate_limit_burst", Type::kGauge, "Configured bucket size.");
  Metrics().Describe("sagaflow_rate_limit_clients", Type::kGauge, "Clients with a bucket.");
  Metrics().Describe("sagaflow_rate_limited_total", Type::kCounter,
                     "Requests refused with 429 by a rate limit.");
  const RateLimitOptions& options = limiter->options();
  Metrics().Set("sagaflow_rate_limit_per_second", {{"limit", limit}}, std::max(0.0, options.rate));
  Metrics().Set("sagaflow_rate_limit_burst", {{"limit", limit}}, options.burst);
  Metrics().Add("sagaflow_rate_limited_total", {{"limit", limit}}, 0);
  return [limiter, limit, key, handler](const HttpRequest& request, const Caller& caller) {
    if (limiter->enabled()) {
      const RateDecision decision = limiter->Acquire(key(request, caller));
      Metrics().Set("sagaflow_rate_limit_clients", {{"limit", limit}},
                    static_cast<double>(limiter->size()));
      if (!decision.allowed) {
        Metrics().Add("sagaflow_rate_limited_total", {{"limit", limit}});
        const long long seconds = (decision.retry_after.count() + 999) / 1000;
        ApiError error(ApiErrorKind::kTooManyRequests, "rate_limited",
                       "too many requests; retry in " + std::to_string(seconds) + " s",
                       Json{{"limit", limit}, {"retry_after_seconds", seconds}});
        error.headers.emplace_back("Retry-After", std::to_string(seconds));
        throw error;
      }
    }
    return handler(request, caller);
  };
}

}  // namespace api

Router BuildRouter(Engine& engine, TokenAuth auth) {
  Router router(std::move(auth));
  const Config& config = engine.config();
  // Run starts are limited per token. The run routes are assembled apart so
  // the start route can be wrapped without api_runs.cpp knowing.
  auto starts = std::make_shared<RateLimiter>(
      RateLimitOptions{config.start_rate_limit, config.start_rate_burst});
  Router run_routes{TokenAuth()};
  AddRunRoutes(run_routes, engine);
  for (Route route : run_routes.routes()) {
    if (route.method == "POST" && route.pattern == "/v1/workflows/{name}/runs") {
      route.handler = api::RateLimited(
          starts, "start_run", [](const HttpRequest&, const Caller& caller) { return caller.name; },
          route.handler);
    }
    router.Add(std::move(route));
  }
  AddAdminRoutes(router, engine);
  AddSystemRoutes(router, engine);
  AddScheduleRoutes(router, engine);
  AddWebhookRoutes(router, engine);
  return router;
}

}  // namespace sagaflow
