#include "engine/stripe_signature.hpp"

namespace sagaflow {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<StripeSignatureHeader> ParseStripeSignatureHeader(std::string_view header) {
  StripeSignatureHeader parsed;
  bool have_timestamp = false;
  size_t start = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    if (comma == std::string_view::npos) comma = header.size();
    const std::string_view item = Trim(header.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      // Two timestamps would make it ambiguous which one was signed.
      if (have_timestamp) return std::nullopt;
      const auto seconds = ParseUnixSeconds(value);
      if (!seconds) return std::nullopt;
      parsed.timestamp = *seconds;
      parsed.timestamp_text = std::string(value);
      have_timestamp = true;
    } else if (key == "v1") {
      parsed.v1.emplace_back(value);
    }
  }
  if (!have_timestamp || parsed.v1.empty()) return std::nullopt;
  return parsed;
}

SignatureCheck VerifyStripeSignature(const std::optional<std::string>& header,
                                     std::string_view body, const std::vector<std::string>& secrets,
                                     std::chrono::seconds tolerance,
                                     std::chrono::system_clock::time_point now) {
  if (!header || Trim(*header).empty()) return SignatureCheck::kMissingHeader;
  const std::optional<StripeSignatureHeader> parsed = ParseStripeSignatureHeader(*header);
  if (!parsed) return SignatureCheck::kMalformedHeader;

  // Sign the timestamp exactly as it was sent (leading zeros and all).
  std::string message = parsed->timestamp_text;
  message.reserve(message.size() + 1 + body.size());
  message.append(".").append(body);

  std::vector<std::string> expected;
  expected.reserve(secrets.size());
  for (const auto& secret : secrets) expected.push_back(HmacSha256(secret, message));
  bool matched = false;
  for (const auto& hex : parsed->v1) {
    const std::optional<std::string> given = HexDecode(hex);
    if (!given) continue;  // a v1 that is not hex matches nothing
    for (const auto& mac : expected) matched = ConstantTimeEquals(mac, *given) || matched;
  }
  if (!matched) return SignatureCheck::kNoMatch;
  if (!WithinTolerance(parsed->timestamp, tolerance, now)) return SignatureCheck::kExpired;
  return SignatureCheck::kValid;
}

}  // namespace sagaflow
