// Stripe's webhook signature scheme, checked the way Stripe's own libraries
// check it.
//
//   Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]
//   v1 = hex(HMAC_SHA256(key = the endpoint secret "whsec_..." as given, not
//                        decoded; message = "<t>.<raw body bytes>"))
//
// The header is split on ',' and each item on its first '='. Exactly one t
// is required and at least one v1; other schemes (v0, ...) are ignored. Any
// v1 matching any configured secret passes (several secrets: a rolled
// secret keeps working during the roll). Comparison is constant-time. The
// timestamp is checked after the signature: older than the tolerance fails,
// a future one passes, a zero tolerance turns the age check off.
//
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/webhook_signature.hpp"

namespace sagaflow {

struct StripeSignatureHeader {
  long long timestamp = 0;
  std::string timestamp_text;   // the digits as sent, which is what was signed
  std::vector<std::string> v1;  // hex as sent
};

// nullopt when the header does not follow the scheme (no t, two t's, a t
// that is not a number, no v1, an item without '=').
std::optional<StripeSignatureHeader> ParseStripeSignatureHeader(std::string_view header);

SignatureCheck VerifyStripeSignature(const std::optional<std::string>& header,
                                     std::string_view body, const std::vector<std::string>& secrets,
                                     std::chrono::seconds tolerance,
                                     std::chrono::system_clock::time_point now);

}  // namespace sagaflow
