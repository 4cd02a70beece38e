// HMAC-SHA256 webhook signatures: the primitives both Stripe's scheme and the
// generic one are built from, and the generic check itself.
//
// Generic scheme (per configured source): the signature header holds
// hex(HMAC_SHA256(secret, message)), optionally after a fixed prefix such as
// "sha256="; message is the raw body, or "<timestamp>.<raw body>" when the
// source names a timestamp header. Any configured secret may match, so a
// secret can be rolled. Comparisons are constant-time.
//
// Verification always reads the raw bytes received: re-serialised JSON would
// not match. Results are values that say why a check failed, and never carry
// anything derived from a secret. Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sagaflow {

enum class SignatureCheck {
  kValid,
  kMissingHeader,    // no signature (or no timestamp) header
  kMalformedHeader,  // a header that does not follow the scheme
  kNoMatch,          // well-formed, but no signature matches any secret
  kExpired,          // signed correctly, but the timestamp is too old
};

// A short, secret-free explanation for the error response.
const char* SignatureCheckMessage(SignatureCheck check);
// "missing_header", "malformed_header", ... for metrics labels.
const char* SignatureCheckLabel(SignatureCheck check);

// The 32 raw bytes of HMAC-SHA256(key, message).
std::string HmacSha256(std::string_view key, std::string_view message);
// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// Raw bytes of an even-length hex string (either case); nullopt otherwise.
std::optional<std::string> HexDecode(std::string_view hex);
// Equal length and content, compared in time independent of the content.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A timestamp of whole seconds since the epoch: 1 to 18 ASCII digits.
std::optional<long long> ParseUnixSeconds(std::string_view text);
// Whether a signed timestamp is acceptable at `now`. As in Stripe's
// libraries, only timestamps older than `tolerance` fail; a timestamp in
// the future passes (the signature already proves who set it), and a zero
// tolerance turns the age check off.
bool WithinTolerance(long long timestamp, std::chrono::seconds tolerance,
                     std::chrono::system_clock::time_point now);

struct GenericSignatureScheme {
  std::vector<std::string> secrets;
  std::string prefix;        // stripped from the header value before hex decoding
  bool timestamped = false;  // message is "<timestamp>.<body>"
  std::chrono::seconds tolerance{300};
};

// `signature` and `timestamp` are the header values as received (nullopt
// when absent); `timestamp` is only read when the scheme is timestamped.
SignatureCheck VerifyGenericSignature(const GenericSignatureScheme& scheme,
                                      const std::optional<std::string>& signature,
                                      const std::optional<std::string>& timestamp,
                                      std::string_view body,
                                      std::chrono::system_clock::time_point now);

}  // namespace sagaflow
