// Unit tests for engine/webhook_signature and engine/webhook_config: the
// generic HMAC scheme (plain, prefixed, timestamped, rolled secrets) and the
// sources file that configures it.
#include "engine/webhook_signature.hpp"

#include <catch2/catch.hpp>

#include "engine/webhook_config.hpp"

namespace sagaflow {
namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;
constexpr long long kT = 1700000000;

TimePoint At(long long unix_seconds) {
  return TimePoint(seconds(unix_seconds));
}

std::string ConfigError(const Json& json) {
  try {
    WebhookConfig::ParseSources(json, "sources.json");
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("generic HMAC signatures: body only, prefixed, timestamped", "[signature]") {
  const std::string body = R"({"id":"ev_1","type":"invoice.paid"})";
  GenericSignatureScheme plain{{"key-new", "key-old"}, "", false, seconds(300)};
  const TimePoint now = At(kT);
  const std::string old_mac = HexEncode(HmacSha256("key-old", body));
  CHECK(VerifyGenericSignature(plain, old_mac, std::nullopt, body, now) == SignatureCheck::kValid);
  CHECK(VerifyGenericSignature(plain, HexEncode(HmacSha256("key-new", body)), std::nullopt, body,
                               now) == SignatureCheck::kValid);
  CHECK(VerifyGenericSignature(plain, HexEncode(HmacSha256("nope", body)), std::nullopt, body,
                               now) == SignatureCheck::kNoMatch);
  CHECK(VerifyGenericSignature(plain, old_mac, std::nullopt, body + "x", now) ==
        SignatureCheck::kNoMatch);
  CHECK(VerifyGenericSignature(plain, std::nullopt, std::nullopt, body, now) ==
        SignatureCheck::kMissingHeader);
  CHECK(VerifyGenericSignature(plain, "xyz", std::nullopt, body, now) ==
        SignatureCheck::kMalformedHeader);
  CHECK(VerifyGenericSignature(plain, old_mac.substr(2), std::nullopt, body, now) ==
        SignatureCheck::kMalformedHeader);

  GenericSignatureScheme prefixed{{"key-new"}, "sha256=", false, seconds(300)};
  const std::string new_mac = HexEncode(HmacSha256("key-new", body));
  CHECK(VerifyGenericSignature(prefixed, "sha256=" + new_mac, std::nullopt, body, now) ==
        SignatureCheck::kValid);
  CHECK(VerifyGenericSignature(prefixed, new_mac, std::nullopt, body, now) ==
        SignatureCheck::kMalformedHeader);

  GenericSignatureScheme stamped{{"key-new"}, "", true, seconds(60)};
  const std::string t = std::to_string(kT);
  const std::string stamped_mac = HexEncode(HmacSha256("key-new", t + "." + body));
  CHECK(VerifyGenericSignature(stamped, stamped_mac, t, body, now) == SignatureCheck::kValid);
  CHECK(VerifyGenericSignature(stamped, stamped_mac, t, body, At(kT + 61)) ==
        SignatureCheck::kExpired);
  CHECK(VerifyGenericSignature(stamped, stamped_mac, std::to_string(kT + 1), body, now) ==
        SignatureCheck::kNoMatch);
  CHECK(VerifyGenericSignature(stamped, stamped_mac, std::nullopt, body, now) ==
        SignatureCheck::kMissingHeader);
  CHECK(VerifyGenericSignature(stamped, stamped_mac, "soon", body, now) ==
        SignatureCheck::kMalformedHeader);
  CHECK(VerifyGenericSignature(stamped, new_mac, t, body, now) == SignatureCheck::kNoMatch);
}

TEST_CASE("the sources file: defaults, every setting, and its mistakes", "[signature]") {
  const auto sources = WebhookConfig::ParseSources(Json::parse(R"({
        "plain": {"secrets": ["a"]},
        "full": {"secrets": ["n", "o"], "signature_header": "X-Hub-Signature-256",
                 "signature_prefix": "sha256=", "timestamp_header": "X-Ts", "tolerance": "2m",
                 "event_id": {"header": "X-Delivery"}, "event_type": {"path": "$.meta.kind"}}
      })"),
                                                   "sources.json");
  REQUIRE(sources.size() == 2);
  const GenericWebhookSource& plain = sources.at("plain");
  CHECK(plain.signature_header == "X-Signature");
  CHECK_FALSE(plain.scheme.timestamped);
  CHECK(plain.scheme.tolerance == seconds(300));
  CHECK(plain.event_id.Describe() == "body field id");
  CHECK(plain.event_type.Describe() == "body field type");
  const GenericWebhookSource& full = sources.at("full");
  CHECK(full.scheme.secrets == std::vector<std::string>{"n", "o"});
  CHECK(full.scheme.prefix == "sha256=");
  CHECK(full.scheme.timestamped);
  CHECK(full.scheme.tolerance == seconds(120));
  CHECK(full.event_id.Describe() == "header X-Delivery");
  CHECK(full.event_type.Describe() == "body field meta.kind");

  HttpRequest request;
  request.headers["x-delivery"] = "d-1";
  const Json body = Json::parse(R"({"id": 42, "type": "a.b", "meta": {"kind": "k"}})");
  CHECK(full.event_id.Read(request, body) == std::string("d-1"));
  CHECK(full.event_type.Read(request, body) == std::string("k"));
  CHECK(plain.event_id.Read(request, body) == std::string("42"));
  CHECK(plain.event_type.Read(request, body) == std::string("a.b"));
  CHECK_FALSE(plain.event_id.Read(request, Json::object()));

  CHECK(ConfigError(Json::array()).find("expected a JSON object") != std::string::npos);
  CHECK(ConfigError({{"x", {{"secrets", Json::array()}}}}).find("secrets") != std::string::npos);
  CHECK(ConfigError({{"x", {{"secret", {"a"}}}}}).find("unknown key 'secret'") !=
        std::string::npos);
  CHECK(ConfigError({{"stripe", {{"secrets", {"a"}}}}}).find("built in") != std::string::npos);
  CHECK(ConfigError({{"Bad Name", {{"secrets", {"a"}}}}}).find("source names") !=
        std::string::npos);
  CHECK(ConfigError({{"x", {{"secrets", {"a"}}, {"tolerance", "soon"}}}}).find("tolerance") !=
        std::string::npos);
  CHECK(ConfigError({{"x", {{"secrets", {"a"}}, {"event_id", {{"path", "a..b"}}}}}})
            .find("dotted path") != std::string::npos);
  CHECK(ConfigError({{"x", {{"secrets", {"a"}}, {"event_id", "id"}}}}).find("event_id") !=
        std::string::npos);
}

}  // namespace sagaflow
