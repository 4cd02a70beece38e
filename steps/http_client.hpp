// The one outbound HTTP client every step uses (libcurl underneath; Beast is
// only ever the server).
//
// Contract:
// - SendHttp() blocks until a response, a failure or a timeout, and never
//   throws for network trouble: the result says what went wrong and whether
//   any request bytes had gone out (then the outcome is uncertain).
// - Thread-safe. Each calling thread keeps its own libcurl handle, so later
//   calls on that thread reuse open connections to the same host; DNS answers
//   and TLS sessions are shared between threads. libcurl is initialised once.
//   POST and PATCH always open a fresh connection: on a reused connection
//   that turns out dead, libcurl would silently send them a second time.
// - TLS peers are verified against the system CA store (or `ca_file`),
//   hostname included. Redirects are not followed. Only http and https.
// - Proxies: HTTPS_PROXY / https_proxy for https URLs, http_proxy for http
//   URLs (libcurl's rule: no upper-case HTTP_PROXY), ALL_PROXY as a fallback,
//   NO_PROXY / no_proxy to bypass. Read from the environment on each call
//   unless the request carries its own settings.
// - Timeouts: `connect` for DNS and TCP, `tls` for the handshake after it,
//   `total` for the whole exchange; `deadline` caps `total`.
// - The response body is cut off at `max_response_bytes` (an error).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/step.hpp"

namespace sagaflow::steps {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpTimeouts {
  std::chrono::milliseconds connect{5'000};
  std::chrono::milliseconds tls{10'000};
  std::chrono::milliseconds total{30'000};
};

struct ProxySettings {
  std::string http_proxy;   // for http:// URLs
  std::string https_proxy;  // for https:// URLs
  std::string no_proxy;     // comma-separated hosts or domain suffixes; "*" for all

  // From the process environment, with libcurl's precedence.
  static ProxySettings FromEnvironment();
  // The proxy to use for `url`, or "" to connect directly.
  std::string ProxyFor(std::string_view url) const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;
  std::string body;  // sent when not empty (or always for POST/PUT/PATCH)
  HttpTimeouts timeouts;
  std::optional<TimePoint> deadline;  // an absolute cap on top of timeouts.total
  std::size_t max_response_bytes = 8u << 20;
  std::string ca_file;                 // empty: the system CA store
  std::optional<ProxySettings> proxy;  // empty: from the environment
};

enum class TransportError {
  kNone,
  kBadUrl,          // malformed URL or a scheme other than http/https
  kResolve,         // host name did not resolve
  kConnect,         // TCP connect refused or unreachable
  kConnectTimeout,  // no TCP connection within timeouts.connect
  kTlsTimeout,      // no TLS handshake within timeouts.tls
  kTlsVerify,       // certificate or hostname did not verify
  kTls,             // other TLS failure (handshake aborted, protocol error)
  kProxy,           // the proxy could not be reached or refused the tunnel
  kTimeout,         // connected, but no complete response within the total timeout
  kConnectionLost,  // the connection broke or closed without a response
  kTooLarge,        // the body passed max_response_bytes
  kOther,
};
const char* TransportErrorName(TransportError error);

struct HttpResponse {
  int status = 0;       // 0 when there was no response
  HttpHeaders headers;  // of the final response; names lower-cased, in order
  std::string body;
  TransportError error = TransportError::kNone;
  std::string error_message;
  // Some bytes of the request were written; a failure after that leaves the
  // outcome on the server unknown.
  bool request_sent = false;
  std::chrono::milliseconds elapsed{0};

  bool has_response() const { return error == TransportError::kNone; }
  // The first header of that name (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

HttpResponse SendHttp(const HttpRequest& request);

// Percent-encoding for query strings and form bodies (RFC 3986 unreserved
// characters stay; with `keep_brackets`, '[' and ']' stay too, as Stripe's
// SDK writes metadata[key]).
std::string UrlEncode(std::string_view text, bool keep_brackets = false);
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields,
                       bool keep_brackets = false);

// Standard base64 with padding (for Basic authorization).
std::string Base64Encode(std::string_view data);

}  // namespace sagaflow::steps
