#include "tests/support/stripe_signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>

namespace sagaflow::testing {

std::string HmacHex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kDigits[mac[i] / 16]);
    hex.push_back(kDigits[mac[i] % 16]);
  }
  return hex;
}

std::string StripeSignature(const std::string& payload, const std::string& secret,
                            long long timestamp) {
  return StripeSignature(payload, std::vector<std::string>{secret}, timestamp);
}

std::string StripeSignature(const std::string& payload, const std::vector<std::string>& secrets,
                            long long timestamp) {
  const std::string t = std::to_string(timestamp);
  std::string header = "t=" + t;
  for (const auto& secret : secrets) header += ",v1=" + HmacHex(secret, t + "." + payload);
  return header;
}

long long UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Json StripeEvent(const std::string& id, const std::string& type, const Json& object,
                 const Json& previous_attributes) {
  Json data{{"object", object}};
  if (!previous_attributes.is_null()) data["previous_attributes"] = previous_attributes;
  return Json{{"id", id},
              {"object", "event"},
              {"api_version", "2025-03-31.basil"},
              {"created", UnixNow()},
              {"livemode", false},
              {"pending_webhooks", 1},
              {"request",
               {{"id", "req_" + id.substr(id.size() > 4 ? 4 : 0)}, {"idempotency_key", nullptr}}},
              {"type", type},
              {"data", data}};
}

Json StripeSubscription(const std::string& id, const std::string& customer,
                        const std::string& status, const std::string& price_lookup_key,
                        long long period_end) {
  return Json{
      {"id", id},
      {"object", "subscription"},
      {"customer", customer},
      {"status", status},
      {"cancel_at_period_end", false},
      {"metadata", Json::object()},
      {"items",
       {{"object", "list"},
        {"data", Json::array({{{"id", "si_" + id.substr(4)},
                               {"object", "subscription_item"},
                               {"price",
                                {{"id", "price_" + price_lookup_key},
                                 {"lookup_key", price_lookup_key},
                                 {"product", "prod_test"},
                                 {"recurring", {{"interval", "month"}, {"interval_count", 1}}}}},
                               {"quantity", 1},
                               {"current_period_start", period_end - 30 * 86400},
                               {"current_period_end", period_end}}})}}}};
}

Json StripeCustomer(const std::string& id, const std::string& email, const Json& metadata) {
  return Json{{"id", id},
              {"object", "customer"},
              {"email", email},
              {"name", "Test Customer"},
              {"metadata", metadata}};
}

}  // namespace sagaflow::testing
