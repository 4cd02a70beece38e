// The control API (/_control/…) that tests and demos drive the stand-in
// with; README.md lists every route. Faults, the request log, the data and
// tokens are changed here under the lock; sending a webhook happens without
// it (the target may be this very server).
#include "examples/standin/standin.hpp"
#include "examples/standin/webhook_sender.hpp"

namespace sagaflow::standin {
namespace {

Response Ok(const Json& body = Json{{"ok", true}}) {
  return Response::JsonBody(200, body);
}

Response Bad(const std::string& message) {
  return Response::JsonBody(400, {{"error", {{"code", "bad_request"}, {"message", message}}}});
}

}  // namespace

Response StandIn::Control(const Request& request) {
  const std::string route = request.path.substr(std::string("/_control").size());
  const std::string& method = request.method;
  Json body = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return Bad("the body must be a JSON object");

  if (route == "/stripe/webhooks" && method == "POST") return SendStripeWebhook(body);

  std::lock_guard lock(mutex_);
  if (route == "/health") return Ok();
  if (route == "/reset" && method == "POST") {
    ResetLocked(body.value("seed", seed_default_));
    return Ok();
  }
  if (route == "/seed" && method == "POST") {
    SeedLocked(body);
    return Ok(StateLocked(true));
  }
  if (route == "/state" && method == "GET") {
    return Ok(StateLocked(request.Query("timestamps") != "false"));
  }
  if (route == "/faults") {
    if (method == "GET") {
      Json list = Json::array();
      for (const auto& fault : faults_) list.push_back(fault.ToJson());
      return Ok({{"faults", list}});
    }
    if (method == "DELETE") {
      faults_.clear();
      return Ok();
    }
    if (method == "POST") {
      Fault fault;
      fault.id = next_fault_id_++;
      fault.system = body.value("system", "");
      fault.method = body.value("method", "");
      fault.path = body.value("path", "");
      fault.times = body.value("times", 1);
      fault.status = body.value("status", 0);
      if (body.contains("body")) fault.body = body["body"];
      fault.error_code = body.value("error_code", "");
      fault.message = body.value("message", "");
      const Json headers = body.value("headers", Json::object());
      for (const auto& [name, value] : headers.items()) {
        fault.headers.emplace_back(name,
                                   value.is_string() ? value.get<std::string>() : value.dump());
      }
      fault.delay_ms = body.value("delay_ms", 0);
      if (body.contains("reset")) {
        const Json& reset = body["reset"];
        fault.reset =
            reset.is_boolean() ? (reset.get<bool>() ? "before" : "") : reset.get<std::string>();
      }
      if (fault.status == 0 && fault.delay_ms == 0 && fault.reset.empty()) {
        return Bad("a fault needs a status, a delay_ms or a reset");
      }
      if (fault.reset != "" && fault.reset != "before" && fault.reset != "after") {
        return Bad("reset is true, \"before\" or \"after\"");
      }
      faults_.push_back(fault);
      return Ok(fault.ToJson());
    }
  }
  if (route == "/requests") {
    if (method == "DELETE") {
      log_.clear();
      return Ok();
    }
    if (method == "GET") {
      const std::string system = request.Query("system");
      const long long since =
          request.Query("since").empty() ? 0 : std::stoll(request.Query("since"));
      Json list = Json::array();
      for (const auto& entry : log_) {
        if (entry["seq"].get<long long>() <= since) continue;
        if (!system.empty() && entry["system"] != system) continue;
        list.push_back(entry);
      }
      return Ok({{"requests", list}, {"last_seq", log_seq_}});
    }
  }
  if (route == "/tokens/expire" && method == "POST") {
    const std::string system = body.value("system", "");
    int expired = 0;
    for (auto& [token, info] : tokens_) {
      if (system.empty() || info.system == system) {
        info.expires_at = 0;
        ++expired;
      }
    }
    return Ok({{"expired", expired}});
  }
  if (route == "/config" && method == "POST") {
    if (body.contains("token_ttl_seconds")) {
      token_ttl_override_ =
          body["token_ttl_seconds"].is_null() ? -1 : body["token_ttl_seconds"].get<long long>();
    }
    return Ok({{"token_ttl_seconds", token_ttl_override_}});
  }
  return Response::JsonBody(
      404, {{"error",
             {{"code", "not_found"}, {"message", "no control route " + method + " " + route}}}});
}

// Signs an event the way Stripe does and POSTs it to `url`:
//   Stripe-Signature: t=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<payload>"))
Response StandIn::SendStripeWebhook(const Json& spec) {
  const std::string url = spec.value("url", "");
  const std::string secret = spec.value("secret", "");
  if (url.empty() || secret.empty()) return Bad("give url and secret");
  Json event;
  if (spec.contains("event") && spec["event"].is_object()) {
    event = spec["event"];
  } else {
    if (!spec.contains("type")) return Bad("give event, or type and object");
    event = {{"type", spec["type"]}, {"data", {{"object", spec.value("object", Json::object())}}}};
    if (spec.contains("previous_attributes")) {
      event["data"]["previous_attributes"] = spec["previous_attributes"];
    }
  }
  {
    std::lock_guard lock(mutex_);
    if (!event.contains("id")) event["id"] = NextId("evt_");
  }
  if (!event.contains("object")) event["object"] = "event";
  if (!event.contains("api_version")) event["api_version"] = "2026-11-18.endive";
  if (!event.contains("created")) event["created"] = NowUnix();
  if (!event.contains("livemode")) event["livemode"] = false;
  if (!event.contains("pending_webhooks")) event["pending_webhooks"] = 1;
  if (!event.contains("request"))
    event["request"] = {{"id", nullptr}, {"idempotency_key", nullptr}};
  const std::string payload = spec.contains("payload") && spec["payload"].is_string()
                                  ? spec["payload"].get<std::string>()
                                  : event.dump();
  const long long timestamp = spec.value("timestamp", NowUnix());
  std::string signature = "t=" + std::to_string(timestamp) +
                          ",v1=" + HmacSha256Hex(secret, std::to_string(timestamp) + "." + payload);
  if (spec.contains("signature") && spec["signature"].is_string()) signature = spec["signature"];
  const WebhookResult result =
      PostJson(url, payload, {{"Stripe-Signature", signature}}, spec.value("timeout_ms", 10000));
  Json answer{{"event_id", event["id"]},
              {"payload", payload},
              {"signature", signature},
              {"status", result.status},
              {"body", result.body}};
  if (!result.error.empty()) answer["error"] = result.error;
  return Response::JsonBody(result.error.empty() ? 200 : 502, answer);
}

}  // namespace sagaflow::standin
