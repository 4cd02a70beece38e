// Sending side of the stand-in: a plain-HTTP POST (Beast client, used to
// deliver signed Stripe webhooks) and the HMAC the signature needs.
// Thread-safe; blocks the calling connection's thread.
#pragma once

#include <string>

#include "examples/standin/http_types.hpp"

namespace sagaflow::standin {

struct WebhookResult {
  int status = 0;
  std::string body;
  std::string error;  // empty when an answer came back
};

// POSTs `payload` as application/json to an http:// URL.
WebhookResult PostJson(const std::string& url, const std::string& payload, const Pairs& headers,
                       int timeout_ms);

// hex(HMAC-SHA256(key, message))
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace sagaflow::standin
