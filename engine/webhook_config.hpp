// Where webhooks come from and how each one is checked: Stripe's secrets and
// tolerance, and the generic sources of SAGAFLOW_WEBHOOK_SOURCES_FILE.
//
// The sources file is a JSON object, one key per source name
// ([a-z0-9_-]+, not "stripe"):
//
//   {"billing": {
//      "secrets": ["s3cret-new", "s3cret-old"],      required, one or more
//      "signature_header": "X-Signature",           the default
//      "signature_prefix": "sha256=",               default none
//      "timestamp_header": "X-Signature-Timestamp", default none: sign the body only
//      "tolerance": "5m",                           default 5m; "0s" turns it off
//      "event_id": {"header": "X-Event-Id"},        or {"path": "id"} (the default)
//      "event_type": {"path": "type"}}}             or {"header": ...}; "type" is the default
//
// Paths are dotted JSON paths into the body ("data.event.id", an optional
// leading "$."). Parsed once at start-up; immutable afterwards.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/http_types.hpp"
#include "engine/json.hpp"
#include "engine/webhook_signature.hpp"

namespace sagaflow {

// Where a value lives in a delivery: a header, or a path in the JSON body.
struct WebhookField {
  std::optional<std::string> header;
  std::vector<std::string> path;  // used when header is not set

  // The value as text (numbers are written out), or nullopt when absent.
  std::optional<std::string> Read(const HttpRequest& request, const Json& body) const;
  std::string Describe() const;  // "header X-Event-Id" / "body field data.id"
};

struct GenericWebhookSource {
  std::string name;
  GenericSignatureScheme scheme;
  std::string signature_header = "X-Signature";
  std::string timestamp_header;  // empty: the body alone is signed
  WebhookField event_id;
  WebhookField event_type;
};

struct WebhookConfig {
  std::vector<std::string> stripe_secrets;  // empty: Stripe webhooks are refused
  std::chrono::seconds stripe_tolerance{300};
  std::map<std::string, GenericWebhookSource> sources;

  // Throws std::runtime_error naming the variable or file and the problem.
  static WebhookConfig FromConfig(const Config& config);
  // Parses the sources file's JSON; `where` names it in messages.
  static std::map<std::string, GenericWebhookSource> ParseSources(const Json& json,
                                                                  const std::string& where);
};

}  // namespace sagaflow
