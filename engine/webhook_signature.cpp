#include "engine/webhook_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace sagaflow {

const char* SignatureCheckMessage(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::kValid:
      return "the signature is valid";
    case SignatureCheck::kMissingHeader:
      return "the request carries no signature header";
    case SignatureCheck::kMalformedHeader:
      return "the signature header is malformed";
    case SignatureCheck::kNoMatch:
      return "no signature matches the payload";
    case SignatureCheck::kExpired:
      return "the signature's timestamp is outside the tolerance";
  }
  return "the signature is invalid";
}

const char* SignatureCheckLabel(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::kValid:
      return "valid";
    case SignatureCheck::kMissingHeader:
      return "missing_header";
    case SignatureCheck::kMalformedHeader:
      return "malformed_header";
    case SignatureCheck::kNoMatch:
      return "no_match";
    case SignatureCheck::kExpired:
      return "expired";
  }
  return "invalid";
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // HMAC() with a zero-length key still needs a valid pointer.
  static const unsigned char kEmpty = 0;
  const void* key_bytes = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
  if (!HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
            &length)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string HexEncode(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length of an HMAC is public; only the content must not leak.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<long long> ParseUnixSeconds(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool WithinTolerance(long long timestamp, std::chrono::seconds tolerance,
                     std::chrono::system_clock::time_point now) {
  if (tolerance.count() <= 0) return true;
  const long long now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return now_seconds - timestamp <= tolerance.count();
}

SignatureCheck VerifyGenericSignature(const GenericSignatureScheme& scheme,
                                      const std::optional<std::string>& signature,
                                      const std::optional<std::string>& timestamp,
                                      std::string_view body,
                                      std::chrono::system_clock::time_point now) {
  if (!signature || signature->empty()) return SignatureCheck::kMissingHeader;
  std::string_view value = *signature;
  if (!scheme.prefix.empty()) {
    if (value.substr(0, scheme.prefix.size()) != scheme.prefix) {
      return SignatureCheck::kMalformedHeader;
    }
    value.remove_prefix(scheme.prefix.size());
  }
  const std::optional<std::string> given = HexDecode(value);
  if (!given || given->size() != 32) return SignatureCheck::kMalformedHeader;

  std::optional<long long> seconds;
  std::string message;
  if (scheme.timestamped) {
    if (!timestamp || timestamp->empty()) return SignatureCheck::kMissingHeader;
    seconds = ParseUnixSeconds(*timestamp);
    if (!seconds) return SignatureCheck::kMalformedHeader;
    message.reserve(timestamp->size() + 1 + body.size());
    message.append(*timestamp).append(".").append(body);
  }
  const std::string_view signed_bytes = scheme.timestamped ? std::string_view(message) : body;
  bool matched = false;
  for (const auto& secret : scheme.secrets) {
    // No early exit: the time taken does not depend on which secret matched.
    matched = ConstantTimeEquals(HmacSha256(secret, signed_bytes), *given) || matched;
  }
  if (!matched) return SignatureCheck::kNoMatch;
  if (seconds && !WithinTolerance(*seconds, scheme.tolerance, now)) return SignatureCheck::kExpired;
  return SignatureCheck::kValid;
}

}  // namespace sagaflow
