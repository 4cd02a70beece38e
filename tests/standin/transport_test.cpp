// The HTTP client underneath every step: connection reuse, proxies, TLS
// verification, the TLS and size limits; and the stand-in's signed Stripe
// webhooks.
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "steps/http_client.hpp"
#include "steps/http_errors.hpp"
#include "tests/standin/fixture.hpp"

namespace sagaflow::standin_test {
namespace {
using namespace std::chrono_literals;
using steps::HttpRequest;
using steps::SendHttp;
using steps::TransportError;

std::string Hex(const unsigned char* data, unsigned int size) {
  std::string out;
  char buffer[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(buffer, sizeof buffer, "%02x", data[i]);
    out += buffer;
  }
  return out;
}

std::string Hmac(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &size);
  return Hex(digest, size);
}

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.proxy = steps::ProxySettings{};
  request.timeouts.total = 3s;
  return request;
}

// A loopback port that accepts TCP connections (the kernel does) but never
// says a word: a TLS handshake there never completes.
struct SilentListener {
  int fd = -1;
  int port = 0;
  SilentListener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(fd, 16);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~SilentListener() { close(fd); }
};

}  // namespace

TEST_CASE("calls from one thread reuse their connection", "[transport]") {
  ResetWorld();
  for (int i = 0; i < 3; ++i) {
    MustComplete(RunStep("stripe.get_customer", {{"customer_id", "cus_demo001"}}));
  }
  const Json log = Requests("stripe");
  REQUIRE(log.size() == 3);
  CHECK(log[0]["connection"] == log[1]["connection"]);
  CHECK(log[1]["connection"] == log[2]["connection"]);
}

TEST_CASE("requests go through the proxy unless NO_PROXY says otherwise", "[transport]") {
  ResetWorld();
  // The stand-in also answers requests sent to it as a forward proxy.
  HttpRequest proxied = Get("http://vendor.sagaflow.invalid/hooks/through-proxy");
  proxied.proxy = steps::ProxySettings{StandinUrl(), "", ""};
  const auto answer = SendHttp(proxied);
  INFO(answer.error_message);
  CHECK(answer.status == 200);
  const Json entry = Requests("hooks").back();
  CHECK(entry["proxied"] == true);
  CHECK(entry["headers"]["host"] == "vendor.sagaflow.invalid");

  // NO_PROXY: the (dead) proxy is bypassed for the stand-in's host.
  HttpRequest direct = Get(StandinUrl() + "/hooks/direct");
  direct.proxy =
      steps::ProxySettings{"http://127.0.0.1:9", "http://127.0.0.1:9", "localhost,127.0.0.1"};
  CHECK(SendHttp(direct).status == 200);
  CHECK(Requests("hooks").back()["proxied"] == false);
  // Without the bypass the dead proxy fails the call, retryably.
  direct.proxy->no_proxy = "";
  const auto failed = SendHttp(direct);
  CHECK_FALSE(failed.has_response());
  CHECK(steps::ClassifyFailure(failed, {}).kind == StepResult::Kind::kRetryableFailure);
}

TEST_CASE("TLS: the certificate and the host name are verified", "[transport]") {
  const std::string cert = (std::filesystem::temp_directory_path() /
                            ("sagaflow-standin-cert-" + std::to_string(getpid()) + ".pem"))
                               .string();
  StandinProcess tls({"--tls-self-signed", cert, "--tls-hostname", "localhost"});
  const std::string port = tls.url().substr(tls.url().rfind(':') + 1);

  HttpRequest trusted = Get("https://localhost:" + port + "/_control/health");
  trusted.ca_file = cert;
  const auto ok = SendHttp(trusted);
  INFO(ok.error_message);
  CHECK(ok.status == 200);

  // Not in the system store: refused, and that is final.
  const auto untrusted = SendHttp(Get("https://localhost:" + port + "/_control/health"));
  CHECK(untrusted.error == TransportError::kTlsVerify);
  CHECK(steps::ClassifyFailure(untrusted, {}).kind == StepResult::Kind::kFinalFailure);

  // Trusted certificate, wrong name.
  HttpRequest wrong_name = Get("https://127.0.0.1:" + port + "/_control/health");
  wrong_name.ca_file = cert;
  CHECK(SendHttp(wrong_name).error == TransportError::kTlsVerify);
  std::filesystem::remove(cert);
}

TEST_CASE("TLS: a handshake that never finishes hits the TLS timeout", "[transport]") {
  SilentListener silent;
  HttpRequest request = Get("https://127.0.0.1:" + std::to_string(silent.port) + "/");
  request.timeouts.connect = 1s;
  request.timeouts.tls = 300ms;
  request.timeouts.total = 10s;
  const auto started = std::chrono::steady_clock::now();
  const auto result = SendHttp(request);
  CHECK(result.error == TransportError::kTlsTimeout);
  CHECK_FALSE(result.request_sent);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(steps::ClassifyFailure(result, {}).error_code == "tls_timeout");
}

TEST_CASE("a connection refused is a retryable network error", "[transport]") {
  SilentListener closed;
  const int port = closed.port;
  close(closed.fd);
  closed.fd = socket(AF_INET, SOCK_STREAM, 0);  // keep the destructor harmless
  const auto result = SendHttp(Get("http://127.0.0.1:" + std::to_string(port) + "/"));
  CHECK(result.error == TransportError::kConnect);
  const auto classified = steps::ClassifyFailure(result, {});
  CHECK(classified.kind == StepResult::Kind::kRetryableFailure);
  CHECK_FALSE(classified.outcome_uncertain);
}

TEST_CASE("a response over the size limit is refused", "[transport]") {
  ResetWorld();
  HttpRequest request = Get(StandinUrl() + "/_control/state");
  request.max_response_bytes = 64;
  const auto result = SendHttp(request);
  CHECK(result.error == TransportError::kTooLarge);
  CHECK(steps::ClassifyFailure(result, {}).error_code == "response_too_large");
}

TEST_CASE("the stand-in sends Stripe-signed webhooks", "[webhook]") {
  ResetWorld();
  const Json sent = Control("POST", "/stripe/webhooks",
                            {{"url", StandinUrl() + "/hooks/stripe"},
                             {"secret", "whsec_test_secret"},
                             {"type", "customer.subscription.updated"},
                             {"object", {{"id", "sub_1"}, {"customer", "cus_demo001"}}}});
  CHECK(sent["status"] == 200);
  const Json received = Requests("hooks").back();
  const std::string header = received["headers"]["stripe-signature"];
  const std::string payload = received["body"];
  const std::string t = header.substr(2, header.find(',') - 2);
  CHECK(header == "t=" + t + ",v1=" + Hmac("whsec_test_secret", t + "." + payload));
  const Json event = Json::parse(payload);
  CHECK(event["type"] == "customer.subscription.updated");
  CHECK(event["object"] == "event");
  CHECK(event["data"]["object"]["customer"] == "cus_demo001");

  // The reference vector from Stripe's own SDK.
  const std::string reference =
      R"({"id":"evt_1","object":"event","type":"customer.deleted","data":{"object":{"id":"cus_123","object":"customer"}}})";
  const Json fixed = Control("POST", "/stripe/webhooks",
                             {{"url", StandinUrl() + "/hooks/stripe"},
                              {"secret", "whsec_test_secret"},
                              {"payload", reference},
                              {"event", Json::parse(reference)},
                              {"timestamp", 1700000000}});
  CHECK(fixed["signature"] ==
        "t=1700000000,v1=219287060494eb96ac6cae5e624f675e27fac350e84fe6724ddf578ae20cafa5");
  CHECK(Requests("hooks").back()["body"] == reference);
}

}  // namespace sagaflow::standin_test
