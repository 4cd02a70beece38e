// Connection settings from the file and the environment, proxy choice, and
// the encodings requests use.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "steps/connections.hpp"
#include "steps/http_client.hpp"

namespace {

using namespace sagaflow;
using namespace sagaflow::steps;
using namespace std::chrono_literals;

EnvLookup Env(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string TempFile(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sagaflow-" + std::to_string(getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("connections: vendor defaults and environment variables", "[steps][connections]") {
  const auto stripe = BuildConnectionConfig("stripe", nullptr, Env({}));
  CHECK(stripe.vendor == Vendor::kStripe);
  CHECK(stripe.base_url == "https://api.stripe.com");
  CHECK(stripe.auth == AuthKind::kBearer);
  CHECK(stripe.MissingSettings().find("SAGAFLOW_STRIPE_API_KEY") != std::string::npos);
  const auto keyed =
      BuildConnectionConfig("stripe", nullptr, Env({{"SAGAFLOW_STRIPE_API_KEY", "sk_test_1"}}));
  CHECK(keyed.token == "sk_test_1");
  CHECK(keyed.MissingSettings().empty());
  CHECK(keyed.headers == HttpHeaders{{"Stripe-Version", "2026-11-18.endive"}});

  const auto scalekit =
      BuildConnectionConfig("scalekit", nullptr,
                            Env({{"SAGAFLOW_SCALEKIT_URL", "https://acme.scalekit.dev/"},
                                 {"SAGAFLOW_SCALEKIT_CLIENT_ID", "skc_1"},
                                 {"SAGAFLOW_SCALEKIT_CLIENT_SECRET", "secret"}}));
  CHECK(scalekit.base_url == "https://acme.scalekit.dev");
  CHECK(scalekit.auth == AuthKind::kOAuthClientCredentials);
  CHECK(scalekit.TokenUrl() == "https://acme.scalekit.dev/oauth/token");
  CHECK(scalekit.MissingSettings().empty());
  const std::string missing = BuildConnectionConfig("scalekit", nullptr, Env({})).MissingSettings();
  CHECK(missing.find("SAGAFLOW_SCALEKIT_URL, SAGAFLOW_SCALEKIT_CLIENT_ID, "
                     "SAGAFLOW_SCALEKIT_CLIENT_SECRET") != std::string::npos);

  const auto salesforce = BuildConnectionConfig(
      "salesforce", nullptr, Env({{"SAGAFLOW_SALESFORCE_URL", "https://acme.my.salesforce.com"}}));
  CHECK(salesforce.TokenUrl() == "https://acme.my.salesforce.com/services/oauth2/token");
  CHECK(salesforce.api_version == "62.0");

  const auto workday =
      BuildConnectionConfig("workday", nullptr,
                            Env({{"SAGAFLOW_WORKDAY_URL", "https://wd2-impl.workday.com"},
                                 {"SAGAFLOW_WORKDAY_TENANT", "acme"},
                                 {"SAGAFLOW_WORKDAY_CLIENT_ID", "id"},
                                 {"SAGAFLOW_WORKDAY_CLIENT_SECRET", "secret"},
                                 {"SAGAFLOW_WORKDAY_REFRESH_TOKEN", "refresh"}}));
  CHECK(workday.auth == AuthKind::kOAuthRefreshToken);
  CHECK(workday.TokenUrl() == "https://wd2-impl.workday.com/ccx/oauth2/acme/token");
  CHECK(workday.MissingSettings().empty());

  // Any other name: a generic connection, auth inferred from what is given.
  const auto hook = BuildConnectionConfig("sales-hook", nullptr,
                                          Env({{"SAGAFLOW_SALES_HOOK_URL", "https://hooks.example"},
                                               {"SAGAFLOW_SALES_HOOK_TOKEN", "t0k"}}));
  CHECK(hook.vendor == Vendor::kGeneric);
  CHECK(hook.auth == AuthKind::kBearer);
  CHECK(hook.MissingSettings().empty());
}

TEST_CASE("connections: the file, credential references, and the environment on top",
          "[steps][connections]") {
  const std::string secret_file = TempFile("secret.txt", "from-a-file\n");
  const std::string secrets = TempFile("secrets.json", R"({"features_token": "from-secrets"})");
  std::string text = R"({"connections": {
      "scalekit": {"base_url": "https://a.scalekit.dev",
                   "auth": {"client_id": "skc_1", "client_secret": {"env": "SK_SECRET"}},
                   "timeouts": {"connect": "1s", "tls": 2000, "total": "45s"},
                   "breaker": {"failure_threshold": 2, "cool_down": "1m"},
                   "headers": {"x-api-version": "20270101"}},
      "features": {"base_url": "https://features.example",
                   "auth": {"type": "bearer", "token": {"secret": "features_token"}}},
      "ledger": {"vendor": "generic", "base_url": "https://ledger.example",
                 "auth": {"type": "basic", "username": "u", "password": {"file": "SECRET_FILE"}}}
    }})";
  text.replace(text.find("SECRET_FILE"), 11, secret_file);
  const Json document = Json::parse(text);
  const auto env = Env({{"SK_SECRET", "s3cret"},
                        {"SAGAFLOW_SECRETS_FILE", secrets},
                        {"SAGAFLOW_SCALEKIT_URL", "https://b.scalekit.dev"}});
  auto set = ConnectionSet::FromJson(document, env);
  const auto scalekit = set->Find("scalekit")->config();
  CHECK(scalekit.base_url == "https://b.scalekit.dev");  // the environment wins
  CHECK(scalekit.client_secret == "s3cret");
  CHECK(scalekit.timeouts.connect == 1s);
  CHECK(scalekit.timeouts.tls == 2s);
  CHECK(scalekit.timeouts.total == 45s);
  CHECK(scalekit.breaker.failure_threshold == 2);
  CHECK(scalekit.breaker.cool_down == 60s);
  CHECK(scalekit.headers == HttpHeaders{{"x-api-version", "20270101"}});
  CHECK(set->Find("features")->config().token == "from-secrets");
  CHECK(set->Find("ledger")->config().password == "from-a-file");
  CHECK(set->Find("stripe") != nullptr);  // a family: always there, maybe unusable
  CHECK(set->Find("nothing_here") == nullptr);
  std::filesystem::remove(secret_file);
  std::filesystem::remove(secrets);
}

TEST_CASE("connections: mistakes in the file are reported when it loads", "[steps][connections]") {
  const auto env = Env({});
  CHECK_THROWS_WITH(
      ConnectionSet::FromJson(Json::parse(R"({"x": {"auth": {"type": "magic"}}})"), env),
      Catch::Contains("auth type 'magic'"));
  CHECK_THROWS_WITH(
      ConnectionSet::FromJson(Json::parse(R"({"x": {"timeouts": {"total": "soon"}}})"), env),
      Catch::Contains("duration"));
  CHECK_THROWS_WITH(ConnectionSet::FromJson(Json::parse(R"({"x": {"vendor": "oracle"}})"), env),
                    Catch::Contains("oracle"));
  CHECK_THROWS_WITH(ConnectionSet::FromJson(
                        Json::parse(R"({"x": {"auth": {"token": {"file": "/no/such"}}}})"), env),
                    Catch::Contains("cannot read /no/such"));
  CHECK_THROWS_WITH(ConnectionSet::Load(Env({{"SAGAFLOW_CONNECTIONS_FILE", "/no/such.json"}})),
                    Catch::Contains("/no/such.json"));
}

TEST_CASE("proxy choice follows HTTPS_PROXY, http_proxy and NO_PROXY", "[steps][proxy]") {
  ProxySettings proxy{"http://plain-proxy:3128", "http://tls-proxy:3128",
                      "localhost, .internal.example,*.corp.example,10.0.0.7:8080"};
  CHECK(proxy.ProxyFor("https://api.stripe.com/v1/customers") == "http://tls-proxy:3128");
  CHECK(proxy.ProxyFor("http://api.example/x") == "http://plain-proxy:3128");
  CHECK(proxy.ProxyFor("http://localhost:8080/x") == "");
  CHECK(proxy.ProxyFor("https://svc.internal.example/x") == "");
  CHECK(proxy.ProxyFor("https://internal.example/x") == "");
  CHECK(proxy.ProxyFor("https://notinternal.example/x") == "http://tls-proxy:3128");
  CHECK(proxy.ProxyFor("https://a.b.corp.example/x") == "");
  CHECK(proxy.ProxyFor("http://10.0.0.7/x") == "");
  CHECK(proxy.ProxyFor("https://user:pw@LOCALHOST/x") == "");
  ProxySettings everything{"http://p:1", "http://p:1", "*"};
  CHECK(everything.ProxyFor("https://anything.example") == "");
  ProxySettings none;
  CHECK(none.ProxyFor("https://anything.example") == "");
}

TEST_CASE("URL and form encoding", "[steps][encoding]") {
  CHECK(UrlEncode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
  CHECK(UrlEncode("metadata[key]") == "metadata%5Bkey%5D");
  CHECK(UrlEncode("metadata[key]", true) == "metadata[key]");
  CHECK(FormEncode({{"metadata[org]", "org_1"}, {"metadata[old]", ""}}, true) ==
        "metadata[org]=org_1&metadata[old]=");
}
