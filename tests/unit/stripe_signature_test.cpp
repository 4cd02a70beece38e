// Unit tests for engine/stripe_signature: a vector checked with Stripe's own
// SDK, the header grammar, and every way a signature can be wrong.
#include "engine/stripe_signature.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "engine/webhook_signature.hpp"

namespace sagaflow {
namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

// Checked with stripe-node's generateTestHeaderString and constructEvent.
const std::string kPayload =
    R"({"id":"evt_1","object":"event","type":"customer.deleted","data":{"object":{"id":"cus_123","object":"customer"}}})";
const std::string kSecret = "whsec_test_secret";
const std::string kSignature = "219287060494eb96ac6cae5e624f675e27fac350e84fe6724ddf578ae20cafa5";
constexpr long long kT = 1700000000;

TimePoint At(long long unix_seconds) {
  return TimePoint(seconds(unix_seconds));
}

std::string Sign(const std::string& payload, const std::string& secret, long long t) {
  return HexEncode(HmacSha256(secret, std::to_string(t) + "." + payload));
}

SignatureCheck Check(const std::optional<std::string>& header, const std::string& body,
                     const std::vector<std::string>& secrets = {kSecret},
                     TimePoint now = At(kT + 10), seconds tolerance = seconds(300)) {
  return VerifyStripeSignature(header, body, secrets, tolerance, now);
}

}  // namespace

TEST_CASE("the Stripe SDK's test vector verifies", "[signature]") {
  CHECK(Sign(kPayload, kSecret, kT) == kSignature);
  const std::string header = "t=1700000000,v1=" + kSignature;
  CHECK(Check(header, kPayload) == SignatureCheck::kValid);
  // The SDK refuses the same header years later: too old.
  CHECK(Check(header, kPayload, {kSecret}, At(1800000000)) == SignatureCheck::kExpired);
  // ... unless the age check is turned off, as with Stripe's tolerance 0.
  CHECK(Check(header, kPayload, {kSecret}, At(1800000000), seconds(0)) == SignatureCheck::kValid);
}

TEST_CASE("Stripe signature table", "[signature]") {
  const std::string good = "t=1700000000,v1=" + kSignature;
  const std::string other_secret = "whsec_other_secret";
  struct Case {
    const char* name;
    std::optional<std::string> header;
    std::string body;
    std::vector<std::string> secrets;
    long long now;
    SignatureCheck expected;
  };
  const std::vector<Case> cases = {
      {"valid", good, kPayload, {kSecret}, kT + 1, SignatureCheck::kValid},
      {"valid at exactly the tolerance",
       good,
       kPayload,
       {kSecret},
       kT + 300,
       SignatureCheck::kValid},
      {"one second past the tolerance",
       good,
       kPayload,
       {kSecret},
       kT + 301,
       SignatureCheck::kExpired},
      {"tampered body", good, kPayload + " ", {kSecret}, kT, SignatureCheck::kNoMatch},
      {"tampered body value",
       good,
       std::string(kPayload).replace(kPayload.find("cus_123"), 7, "cus_999"),
       {kSecret},
       kT,
       SignatureCheck::kNoMatch},
      {"tampered timestamp",
       "t=1700000001,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kNoMatch},
      {"future timestamp within tolerance",
       "t=" + std::to_string(kT + 120) + ",v1=" + Sign(kPayload, kSecret, kT + 120),
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"far future timestamp (Stripe accepts it)",
       "t=" + std::to_string(kT + 86400) + ",v1=" + Sign(kPayload, kSecret, kT + 86400),
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"several v1, the last valid",
       "t=1700000000,v1=" + std::string(64, 'a') + ",v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"several v1, the first valid",
       "t=1700000000,v1=" + kSignature + ",v1=" + std::string(64, 'b'),
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"several v1, none valid",
       "t=1700000000,v1=" + std::string(64, 'a') + ",v1=" + std::string(64, 'b'),
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kNoMatch},
      {"v0 and unknown schemes ignored",
       "t=1700000000,v0=abc,v9=x,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"only a v0 signature",
       "t=1700000000,v0=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"upper-case hex",
       "t=1700000000,v1=219287060494EB96AC6CAE5E624F675E27FAC350E84FE6724DDF578AE20CAFA5",
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"spaces after commas",
       "t=1700000000, v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"missing header", std::nullopt, kPayload, {kSecret}, kT, SignatureCheck::kMissingHeader},
      {"empty header", std::string(""), kPayload, {kSecret}, kT, SignatureCheck::kMissingHeader},
      {"no timestamp",
       "v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"no v1", "t=1700000000", kPayload, {kSecret}, kT, SignatureCheck::kMalformedHeader},
      {"timestamp not a number",
       "t=17000x0000,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"negative timestamp",
       "t=-1700000000,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"two timestamps",
       "t=1700000000,t=1700000001,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"item without =",
       "t=1700000000,garbage,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"not the scheme at all",
       std::string("sha256=") + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kMalformedHeader},
      {"v1 that is not hex",
       "t=1700000000,v1=zz" + kSignature.substr(2),
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kNoMatch},
      {"v1 cut short",
       "t=1700000000,v1=" + kSignature.substr(0, 62),
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kNoMatch},
      {"wrong secret", good, kPayload, {other_secret}, kT, SignatureCheck::kNoMatch},
      {"secret without its whsec_ prefix",
       good,
       kPayload,
       {"test_secret"},
       kT,
       SignatureCheck::kNoMatch},
      {"rolled secret: signed with the old one",
       good,
       kPayload,
       {other_secret, kSecret},
       kT,
       SignatureCheck::kValid},
      {"rolled secret: signed with the new one",
       "t=1700000000,v1=" + Sign(kPayload, other_secret, kT),
       kPayload,
       {other_secret, kSecret},
       kT,
       SignatureCheck::kValid},
      {"empty body, signed",
       "t=1700000000,v1=" + Sign("", kSecret, kT),
       "",
       {kSecret},
       kT,
       SignatureCheck::kValid},
      {"empty body, signature of another", good, "", {kSecret}, kT, SignatureCheck::kNoMatch},
      {"expired and wrong: the signature is reported",
       "t=1600000000,v1=" + kSignature,
       kPayload,
       {kSecret},
       kT,
       SignatureCheck::kNoMatch},
      {"no secrets configured", good, kPayload, {}, kT, SignatureCheck::kNoMatch},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(Check(c.header, c.body, c.secrets, At(c.now)) == c.expected);
  }
}

TEST_CASE("the timestamp is signed as sent, leading zeros included", "[signature]") {
  const std::string t = "01700000000";
  const std::string mac = HexEncode(HmacSha256(kSecret, t + "." + kPayload));
  CHECK(Check("t=" + t + ",v1=" + mac, kPayload) == SignatureCheck::kValid);
  CHECK(Check("t=" + t + ",v1=" + kSignature, kPayload) == SignatureCheck::kNoMatch);
}

TEST_CASE("the header parser keeps every v1", "[signature]") {
  auto parsed = ParseStripeSignatureHeader("t=5,v1=aa,v0=bb,v1=cc");
  REQUIRE(parsed);
  CHECK(parsed->timestamp == 5);
  CHECK(parsed->v1 == std::vector<std::string>{"aa", "cc"});
  CHECK_FALSE(ParseStripeSignatureHeader("t=,v1=aa"));
  CHECK_FALSE(ParseStripeSignatureHeader("t=1234567890123456789,v1=aa"));  // 19 digits
}

TEST_CASE("error messages say nothing about the secret", "[signature]") {
  for (auto check : {SignatureCheck::kMissingHeader, SignatureCheck::kMalformedHeader,
                     SignatureCheck::kNoMatch, SignatureCheck::kExpired}) {
    const std::string message = SignatureCheckMessage(check);
    CHECK(message.find("whsec") == std::string::npos);
    CHECK(message.find(kSignature.substr(0, 8)) == std::string::npos);
  }
}

TEST_CASE("hex and constant-time helpers", "[signature]") {
  CHECK(HexEncode(std::string("\x00\xff\x10", 3)) == "00ff10");
  CHECK(HexDecode("00FF10") == std::string("\x00\xff\x10", 3));
  CHECK_FALSE(HexDecode("abc"));
  CHECK_FALSE(HexDecode("zz"));
  CHECK(ConstantTimeEquals("abc", "abc"));
  CHECK_FALSE(ConstantTimeEquals("abc", "abd"));
  CHECK_FALSE(ConstantTimeEquals("abc", "abcd"));
  CHECK(ParseUnixSeconds("0") == 0LL);
  CHECK_FALSE(ParseUnixSeconds(""));
  CHECK_FALSE(ParseUnixSeconds("+5"));
}

}  // namespace sagaflow
