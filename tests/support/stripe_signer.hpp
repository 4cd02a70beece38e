// A tiny webhook sender for tests: signs payloads the way Stripe (and the
// generic HMAC sources) do, written apart from the engine's verifier so a
// mistake in one is not mirrored in the other, and builds realistic Stripe
// event bodies.
#pragma once

#include <string>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow::testing {

// hex(HMAC-SHA256(key, message)), lower case.
std::string HmacHex(const std::string& key, const std::string& message);

// "t=<timestamp>,v1=<hex>" for `payload` signed with `secret`.
std::string StripeSignature(const std::string& payload, const std::string& secret,
                            long long timestamp);
// Several v1 entries, one per secret, in order.
std::string StripeSignature(const std::string& payload, const std::vector<std::string>& secrets,
                            long long timestamp);

long long UnixNow();

// A Stripe event envelope {id, object: "event", api_version, created,
// livemode, pending_webhooks, request, type, data: {object, ...}}.
Json StripeEvent(const std::string& id, const std::string& type, const Json& object,
                 const Json& previous_attributes = nullptr);
// customer.subscription.updated data.object: a Subscription whose current
// period end lives on its first item (API 2025-03-31 and later).
Json StripeSubscription(const std::string& id, const std::string& customer,
                        const std::string& status, const std::string& price_lookup_key,
                        long long period_end);
// customer.deleted data.object: the Customer as it was.
Json StripeCustomer(const std::string& id, const std::string& email, const Json& metadata);

}  // namespace sagaflow::testing
