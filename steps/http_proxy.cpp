// The parts of the HTTP client that need no libcurl: transport error names,
// proxy choice from the environment, and URL / form encoding.
#include <cctype>
#include <cstdlib>

#include "engine/text.hpp"
#include "steps/http_client.hpp"

namespace sagaflow::steps {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

struct UrlParts {
  std::string scheme;
  std::string host;
};

UrlParts SplitUrl(std::string_view url) {
  UrlParts parts;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return parts;
  parts.scheme = Lower(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    rest = rest.substr(1, rest.find(']') - 1);  // IPv6 literal
  } else {
    rest = rest.substr(0, rest.find(':'));
  }
  parts.host = Lower(rest);
  return parts;
}

bool NoProxyMatches(const std::string& host, std::string_view list) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string entry = Lower(Trim(list.substr(0, comma)));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.rfind("*.", 0) == 0) entry.erase(0, 2);
    if (entry.front() == '.') entry.erase(0, 1);
    if (entry.front() != '[') entry = entry.substr(0, entry.find(':'));
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with(entry) &&
        host[host.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace

const char* TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone:
      return "none";
    case TransportError::kBadUrl:
      return "bad_url";
    case TransportError::kResolve:
      return "dns_error";
    case TransportError::kConnect:
      return "connect_error";
    case TransportError::kConnectTimeout:
      return "connect_timeout";
    case TransportError::kTlsTimeout:
      return "tls_timeout";
    case TransportError::kTlsVerify:
      return "tls_verification_failed";
    case TransportError::kTls:
      return "tls_error";
    case TransportError::kProxy:
      return "proxy_error";
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kConnectionLost:
      return "connection_lost";
    case TransportError::kTooLarge:
      return "response_too_large";
    case TransportError::kOther:
      return "network_error";
  }
  return "network_error";
}

ProxySettings ProxySettings::FromEnvironment() {
  ProxySettings settings;
  const std::string all = !Env("all_proxy").empty() ? Env("all_proxy") : Env("ALL_PROXY");
  settings.http_proxy = Env("http_proxy");
  settings.https_proxy = !Env("https_proxy").empty() ? Env("https_proxy") : Env("HTTPS_PROXY");
  if (settings.http_proxy.empty()) settings.http_proxy = all;
  if (settings.https_proxy.empty()) settings.https_proxy = all;
  settings.no_proxy = !Env("no_proxy").empty() ? Env("no_proxy") : Env("NO_PROXY");
  return settings;
}

std::string ProxySettings::ProxyFor(std::string_view url) const {
  const UrlParts parts = SplitUrl(url);
  const std::string& proxy = parts.scheme == "https" ? https_proxy : http_proxy;
  if (proxy.empty() || parts.host.empty()) return "";
  if (NoProxyMatches(parts.host, no_proxy)) return "";
  return proxy;
}

std::string UrlEncode(std::string_view text, bool keep_brackets) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_brackets && (c == '[' || c == ']'))) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields,
                       bool keep_brackets) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += UrlEncode(name, keep_brackets);
    out.push_back('=');
    out += UrlEncode(value);
  }
  return out;
}

std::string Base64Encode(std::string_view data) {
  static const char* kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += {kTable[n >> 18], kTable[(n >> 12) & 63], kTable[(n >> 6) & 63], kTable[n & 63]};
  }
  if (i + 1 == data.size()) {
    const unsigned n = static_cast<unsigned char>(data[i]) << 16;
    out += {kTable[n >> 18], kTable[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == data.size()) {
    const unsigned n = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8);
    out += {kTable[n >> 18], kTable[(n >> 12) & 63], kTable[(n >> 6) & 63], '='};
  }
  return out;
}

}  // namespace sagaflow::steps
