#include "steps/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include "engine/text.hpp"
#include "steps/http_curl_handles.hpp"

namespace sagaflow::steps {
namespace {

using curl::ThreadHandle;

using SteadyClock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

struct Transfer {
  CURL* easy = nullptr;
  ThreadHandle* handle = nullptr;
  std::optional<SteadyClock::time_point> connected_at;
  HttpResponse* response = nullptr;
  std::size_t max_bytes = 0;
  bool too_large = false;
  SteadyClock::time_point start;
  milliseconds connect_timeout{0};
  milliseconds tls_timeout{0};
  TransportError aborted = TransportError::kNone;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->response->body.size() + bytes > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    // A new response starts (after a 100 Continue or a proxy's CONNECT reply).
    transfer->response->headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  transfer->response->headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                                           std::string(Trim(line.substr(colon + 1))));
  return bytes;
}

// libcurl has one timeout for the whole connection phase; this splits it
// into the TCP connect and the TLS handshake after it.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  curl_off_t pretransfer_us = 0;
  curl_easy_getinfo(transfer->easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
  if (pretransfer_us > 0) return 0;  // connected and handshaken: only the total applies
  const auto now = SteadyClock::now();
  if (!transfer->connected_at && curl::AnySocketConnected(transfer->handle->opened)) {
    transfer->connected_at = now;
  }
  if (!transfer->connected_at) {
    if (now - transfer->start > transfer->connect_timeout) {
      transfer->aborted = TransportError::kConnectTimeout;
      return 1;
    }
  } else if (now - *transfer->connected_at > transfer->tls_timeout) {
    transfer->aborted = TransportError::kTlsTimeout;
    return 1;
  }
  return 0;
}

TransportError MapCurlError(CURLcode code, const Transfer& transfer, bool handshaken) {
  switch (code) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportError::kBadUrl;
    case CURLE_COULDNT_RESOLVE_HOST:
      return TransportError::kResolve;
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::kProxy;
    case CURLE_COULDNT_CONNECT:
      return TransportError::kConnect;
    case CURLE_ABORTED_BY_CALLBACK:
      return transfer.aborted != TransportError::kNone ? transfer.aborted : TransportError::kOther;
    case CURLE_OPERATION_TIMEDOUT:
      if (handshaken) return TransportError::kTimeout;
      return transfer.connected_at ? TransportError::kTlsTimeout : TransportError::kConnectTimeout;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TransportError::kTlsVerify;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_USE_SSL_FAILED:
      return TransportError::kTls;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      return transfer.too_large || code == CURLE_FILESIZE_EXCEEDED ? TransportError::kTooLarge
                                                                   : TransportError::kOther;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
      return TransportError::kConnectionLost;
    default:
      return TransportError::kOther;
  }
}

long ClampMillis(milliseconds value) {
  return static_cast<long>(std::max<long long>(1, value.count()));
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  const std::string wanted = Lower(name);
  for (const auto& [key, value] : headers) {
    if (key == wanted) return value;
  }
  return std::nullopt;
}

HttpResponse SendHttp(const HttpRequest& request) {
  HttpResponse response;
  const auto start = SteadyClock::now();
  milliseconds total = request.timeouts.total;
  if (request.deadline) {
    total = std::min(total, duration_cast<milliseconds>(*request.deadline - Clock::now()));
  }
  if (total <= milliseconds(0)) {
    response.error = TransportError::kTimeout;
    response.error_message = "the step's deadline passed before the request was sent";
    return response;
  }

  ThreadHandle& handle = curl::ThisThreadHandle();
  CURL* easy = handle.easy;
  if (!easy) {
    response.error = TransportError::kOther;
    response.error_message = "libcurl could not create a handle";
    return response;
  }
  Transfer transfer;
  transfer.easy = easy;
  transfer.handle = &handle;
  transfer.response = &response;
  transfer.max_bytes = request.max_response_bytes;
  transfer.start = start;
  transfer.connect_timeout = request.timeouts.connect;
  transfer.tls_timeout = request.timeouts.tls;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(easy, CURLOPT_SHARE, curl::Share());
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!request.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, request.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "sagaflow/1");
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ClampMillis(total));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   ClampMillis(std::min(total, request.timeouts.connect + request.timeouts.tls)));
  const ProxySettings proxy = request.proxy ? *request.proxy : ProxySettings::FromEnvironment();
  const std::string proxy_url = proxy.ProxyFor(request.url);
  curl_easy_setopt(easy, CURLOPT_PROXY, proxy_url.c_str());  // "" means direct
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(request.max_response_bytes));
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, curl::OnOpenSocket);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &handle);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, curl::OnCloseSocket);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, &handle);

  std::string method = request.method;
  std::transform(method.begin(), method.end(), method.begin(), ::toupper);
  const bool sends_body =
      !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  // libcurl silently sends a request again when a reused connection turns
  // out dead before any answer; for POST and PATCH the first copy may already
  // have acted, so those always get a connection of their own (which later
  // calls may then reuse).
  if (method == "POST" || method == "PATCH") curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && !sends_body) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (sends_body) {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (sends_body) {
    bool has_type = false;
    for (const auto& header : request.headers) {
      has_type = has_type || Lower(header.first) == "content-type";
    }
    if (!has_type) headers = curl_slist_append(headers, "Content-Type:");
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);

  const CURLcode code = curl_easy_perform(easy);

  long status = 0;
  long request_size = 0;
  curl_off_t pretransfer_us = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);

  response.elapsed = duration_cast<milliseconds>(SteadyClock::now() - start);
  response.error = MapCurlError(code, transfer, pretransfer_us > 0);
  response.request_sent = request_size > 0 || status > 0;
  if (response.error == TransportError::kNone) {
    response.status = static_cast<int>(status);
  } else {
    response.status = 0;
    response.error_message = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    // When our own phase limit stopped it, say which; else libcurl's words.
    const bool ours = transfer.aborted == response.error;
    if (ours && response.error == TransportError::kConnectTimeout) {
      response.error_message =
          "no connection within " + std::to_string(request.timeouts.connect.count()) + " ms";
    } else if (ours && response.error == TransportError::kTlsTimeout) {
      response.error_message =
          "no TLS handshake within " + std::to_string(request.timeouts.tls.count()) + " ms";
    } else if (response.error == TransportError::kTooLarge) {
      response.error_message =
          "response body larger than " + std::to_string(request.max_response_bytes) + " bytes";
    }
  }
  return response;
}

}  // namespace sagaflow::steps
