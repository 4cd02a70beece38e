#include "steps/connections.hpp"

#include <strings.h>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/duration.hpp"
#include "engine/text.hpp"

namespace sagaflow::steps {
namespace {

std::string EnvName(const std::string& name) {
  std::string out;
  for (char c : name) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c))
                      ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                      : '_');
  }
  return out;
}

std::string ReadFile(const std::string& path, const std::string& what) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(what + ": cannot read " + path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

const Json& Field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// A credential: "text", {"env": NAME}, {"file": PATH} or {"secret": KEY}.
std::string ResolveValue(const Json& value, const EnvLookup& env, const std::string& where) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  if (value.is_object() && value.size() == 1) {
    // Not items(): its proxy is a temporary, and a reference into it dangles.
    const auto entry = value.begin();
    const std::string kind = entry.key();
    const Json& arg = entry.value();
    if (!arg.is_string()) throw std::runtime_error(where + ": '" + kind + "' needs a string");
    const std::string name = arg.get<std::string>();
    if (kind == "env") return env(name).value_or("");
    if (kind == "file") return std::string(Trim(ReadFile(name, where)));
    if (kind == "secret") {
      const auto path = env("SAGAFLOW_SECRETS_FILE");
      if (!path || path->empty()) {
        throw std::runtime_error(where + ": {\"secret\": …} needs SAGAFLOW_SECRETS_FILE");
      }
      const Json secrets = Json::parse(ReadFile(*path, where), nullptr, false);
      if (!secrets.is_object())
        throw std::runtime_error(where + ": " + *path + " is not a JSON object");
      return ResolveValue(Field(secrets, name.c_str()), env, where);
    }
  }
  throw std::runtime_error(where +
                           ": expected a string, {\"env\": NAME}, {\"file\": PATH} or "
                           "{\"secret\": KEY}");
}

std::chrono::milliseconds ReadDuration(const Json& value, std::chrono::milliseconds fallback,
                                       const std::string& where) {
  if (value.is_null()) return fallback;
  if (value.is_number_integer()) return std::chrono::milliseconds(value.get<long long>());
  if (value.is_string()) {
    if (auto parsed = ParseDuration(value.get<std::string>())) return *parsed;
  }
  throw std::runtime_error(where + ": expected a duration such as \"10s\" or milliseconds");
}

std::optional<AuthKind> AuthKindFromName(const std::string& name) {
  for (AuthKind kind : {AuthKind::kNone, AuthKind::kBearer, AuthKind::kBasic,
                        AuthKind::kOAuthClientCredentials, AuthKind::kOAuthRefreshToken}) {
    if (name == AuthKindName(kind)) return kind;
  }
  return std::nullopt;
}

void SetHeader(HttpHeaders& headers, const std::string& name, const std::string& value) {
  for (auto& [key, existing] : headers) {
    if (key == name) {
      existing = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

// Adds the header unless one of that name (any case) is there already.
void DefaultHeader(HttpHeaders& headers, const std::string& name, const std::string& value) {
  for (const auto& [key, existing] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return;
  }
  headers.emplace_back(name, value);
}

}  // namespace

std::string EnvPrefix(const std::string& name) {
  return "SAGAFLOW_" + EnvName(name) + "_";
}

const char* AuthKindName(AuthKind kind) {
  switch (kind) {
    case AuthKind::kNone:
      return "none";
    case AuthKind::kBearer:
      return "bearer";
    case AuthKind::kBasic:
      return "basic";
    case AuthKind::kOAuthClientCredentials:
      return "oauth_client_credentials";
    case AuthKind::kOAuthRefreshToken:
      return "oauth_refresh_token";
  }
  return "none";
}

std::string ConnectionConfig::MissingSettings() const {
  const std::string prefix = "SAGAFLOW_" + EnvName(name) + "_";
  std::vector<std::string> missing;
  if (base_url.empty() && vendor != Vendor::kGeneric) missing.push_back(prefix + "URL");
  if (vendor == Vendor::kWorkday && tenant.empty()) missing.push_back(prefix + "TENANT");
  switch (auth) {
    case AuthKind::kBearer:
      if (token.empty()) {
        missing.push_back(prefix + (vendor == Vendor::kStripe ? "API_KEY" : "TOKEN"));
      }
      break;
    case AuthKind::kBasic:
      if (username.empty()) missing.push_back(prefix + "USERNAME");
      break;
    case AuthKind::kOAuthRefreshToken:
      if (refresh_token.empty()) missing.push_back(prefix + "REFRESH_TOKEN");
      [[fallthrough]];
    case AuthKind::kOAuthClientCredentials:
      if (client_id.empty()) missing.push_back(prefix + "CLIENT_ID");
      if (client_secret.empty()) missing.push_back(prefix + "CLIENT_SECRET");
      if (TokenUrl().empty()) missing.push_back(prefix + "TOKEN_URL");
      break;
    case AuthKind::kNone:
      break;
  }
  if (missing.empty()) return "";
  std::string text = "connection '" + name + "' is not configured: set ";
  for (size_t i = 0; i < missing.size(); ++i) text += (i ? ", " : "") + missing[i];
  return text + " (or describe it in the file named by SAGAFLOW_CONNECTIONS_FILE)";
}

std::string ConnectionConfig::TokenUrl() const {
  std::string url = token_url;
  if (const auto pos = url.find("{tenant}"); pos != std::string::npos) {
    url.replace(pos, 8, tenant);
  }
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) return url;
  if (base_url.empty() || url.empty()) return "";
  return base_url + (url.front() == '/' ? "" : "/") + url;
}

ConnectionConfig BuildConnectionConfig(const std::string& name, const Json& entry,
                                       const EnvLookup& env) {
  const std::string where = "connection '" + name + "'";
  if (!entry.is_null() && !entry.is_object())
    throw std::runtime_error(where + ": expected an object");
  ConnectionConfig c;
  c.name = name;
  const std::string vendor_text = ResolveValue(Field(entry, "vendor"), env, where + ".vendor");
  if (!vendor_text.empty()) {
    auto vendor = VendorFromName(vendor_text);
    if (!vendor) {
      throw std::runtime_error(where + ".vendor: '" + vendor_text +
                               "' is not one of scalekit, salesforce, stripe, workday, generic");
    }
    c.vendor = *vendor;
  } else {
    c.vendor = VendorFromName(name).value_or(Vendor::kGeneric);
  }

  // Vendor defaults.
  std::optional<AuthKind> default_auth;
  switch (c.vendor) {
    case Vendor::kScalekit:
      default_auth = AuthKind::kOAuthClientCredentials;
      c.token_url = "/oauth/token";
      c.api_version = "20260727";
      break;
    case Vendor::kSalesforce:
      default_auth = AuthKind::kOAuthClientCredentials;
      c.token_url = "/services/oauth2/token";
      c.api_version = "62.0";
      break;
    case Vendor::kStripe:
      default_auth = AuthKind::kBearer;
      c.base_url = "https://api.stripe.com";
      c.api_version = "2026-11-18.endive";
      break;
    case Vendor::kWorkday:
      default_auth = AuthKind::kOAuthRefreshToken;
      c.token_url = "/ccx/oauth2/{tenant}/token";
      break;
    case Vendor::kGeneric:
      break;
  }

  // The file.
  const Json& auth = Field(entry, "auth");
  auto text = [&](const Json& value, const std::string& key, std::string& out) {
    if (!value.is_null()) out = ResolveValue(value, env, where + "." + key);
  };
  text(Field(entry, "base_url"), "base_url", c.base_url);
  text(Field(entry, "tenant"), "tenant", c.tenant);
  text(Field(entry, "api_version"), "api_version", c.api_version);
  text(Field(entry, "ca_file"), "ca_file", c.ca_file);
  std::string auth_type;
  text(Field(auth, "type"), "auth.type", auth_type);
  text(Field(auth, "token"), "auth.token", c.token);
  text(Field(auth, "username"), "auth.username", c.username);
  text(Field(auth, "password"), "auth.password", c.password);
  text(Field(auth, "client_id"), "auth.client_id", c.client_id);
  text(Field(auth, "client_secret"), "auth.client_secret", c.client_secret);
  text(Field(auth, "refresh_token"), "auth.refresh_token", c.refresh_token);
  text(Field(auth, "token_url"), "auth.token_url", c.token_url);
  text(Field(auth, "scope"), "auth.scope", c.scope);
  if (const Json& headers = Field(entry, "headers"); headers.is_object()) {
    for (const auto& [key, value] : headers.items()) {
      SetHeader(c.headers, key, ResolveValue(value, env, where + ".headers." + key));
    }
  }
  const Json& timeouts = Field(entry, "timeouts");
  c.timeouts.connect = ReadDuration(Field(timeouts, "connect"), c.timeouts.connect, where);
  c.timeouts.tls = ReadDuration(Field(timeouts, "tls"), c.timeouts.tls, where);
  c.timeouts.total = ReadDuration(Field(timeouts, "total"), c.timeouts.total, where);
  const Json& breaker = Field(entry, "breaker");
  if (const Json& threshold = Field(breaker, "failure_threshold"); threshold.is_number_integer()) {
    c.breaker.failure_threshold = threshold.get<int>();
  }
  c.breaker.cool_down = ReadDuration(Field(breaker, "cool_down"), c.breaker.cool_down, where);
  c.request_limit_retry_after =
      ReadDuration(Field(entry, "request_limit_retry_after"), c.request_limit_retry_after, where);
  c.token_lifetime = ReadDuration(Field(entry, "token_lifetime"), c.token_lifetime, where);
  if (const Json& max = Field(entry, "max_response_bytes"); max.is_number_unsigned()) {
    c.max_response_bytes = max.get<std::size_t>();
  }

  // The environment wins.
  const std::string prefix = "SAGAFLOW_" + EnvName(name) + "_";
  auto over = [&](const char* setting, std::string& out) {
    if (auto value = env(prefix + setting); value && !value->empty()) out = *value;
  };
  over("URL", c.base_url);
  over("AUTH", auth_type);
  over("TOKEN", c.token);
  over("API_KEY", c.token);
  over("USERNAME", c.username);
  over("PASSWORD", c.password);
  over("CLIENT_ID", c.client_id);
  over("CLIENT_SECRET", c.client_secret);
  over("REFRESH_TOKEN", c.refresh_token);
  over("TOKEN_URL", c.token_url);
  over("SCOPE", c.scope);
  over("TENANT", c.tenant);
  over("API_VERSION", c.api_version);
  over("CA_FILE", c.ca_file);
  if (c.ca_file.empty()) c.ca_file = env("SAGAFLOW_CA_FILE").value_or("");
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();

  if (!auth_type.empty()) {
    auto kind = AuthKindFromName(auth_type);
    if (!kind) {
      throw std::runtime_error(where + ": auth type '" + auth_type +
                               "' is not one of none, bearer, basic, oauth_client_credentials, "
                               "oauth_refresh_token");
    }
    c.auth = *kind;
  } else if (default_auth) {
    c.auth = *default_auth;
    if (c.vendor == Vendor::kWorkday && c.refresh_token.empty() && !c.token.empty()) {
      c.auth = AuthKind::kBearer;
    }
  } else if (!c.refresh_token.empty()) {
    c.auth = AuthKind::kOAuthRefreshToken;
  } else if (!c.client_id.empty() && !c.token_url.empty()) {
    c.auth = AuthKind::kOAuthClientCredentials;
  } else if (!c.token.empty()) {
    c.auth = AuthKind::kBearer;
  } else if (!c.username.empty()) {
    c.auth = AuthKind::kBasic;
  }

  if (c.vendor == Vendor::kStripe && !c.api_version.empty()) {
    DefaultHeader(c.headers, "Stripe-Version", c.api_version);
  }
  if (c.vendor == Vendor::kScalekit && !c.api_version.empty()) {
    DefaultHeader(c.headers, "x-api-version", c.api_version);
  }
  return c;
}

}  // namespace sagaflow::steps
