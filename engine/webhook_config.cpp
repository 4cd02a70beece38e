#include "engine/webhook_config.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "engine/duration.hpp"
#include "engine/text.hpp"

namespace sagaflow {
namespace {

[[noreturn]] void Fail(const std::string& where, const std::string& message) {
  throw std::runtime_error(where + ": " + message);
}

std::vector<std::string> ParsePath(const std::string& text, const std::string& where) {
  std::string path = text;
  if (path.rfind("$.", 0) == 0) path = path.substr(2);
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    const std::string segment = path.substr(start, dot - start);
    if (segment.empty()) Fail(where, "'" + text + "' is not a dotted path such as data.id");
    segments.push_back(segment);
    start = dot + 1;
  }
  return segments;
}

WebhookField ParseField(const Json& json, const std::string& where, const std::string& fallback) {
  WebhookField field;
  if (json.is_null()) {
    field.path = {fallback};
    return field;
  }
  if (!json.is_object() || json.size() != 1 ||
      !(json.contains("header") || json.contains("path")) || !json.begin()->is_string()) {
    Fail(where, "expected {\"header\": \"Name\"} or {\"path\": \"a.b\"}");
  }
  const std::string value = json.begin()->get<std::string>();
  if (value.empty()) Fail(where, "must not be empty");
  if (json.contains("header")) {
    field.header = value;
  } else {
    field.path = ParsePath(value, where);
  }
  return field;
}

std::string Text(const Json& object, const char* key, const std::string& where,
                 const std::string& fallback) {
  if (!object.contains(key)) return fallback;
  if (!object[key].is_string() || object[key].get<std::string>().empty()) {
    Fail(where + "." + key, "expected a non-empty string");
  }
  return object[key].get<std::string>();
}

GenericWebhookSource ParseSource(const std::string& name, const Json& json,
                                 const std::string& where) {
  static const std::regex kName("[a-z0-9_-]{1,64}");
  if (!std::regex_match(name, kName)) {
    Fail(where, "source names are 1-64 characters of a-z, 0-9, _ and -");
  }
  if (name == "stripe") {
    Fail(where, "'stripe' is built in; set SAGAFLOW_STRIPE_WEBHOOK_SECRETS instead");
  }
  if (!json.is_object()) Fail(where, "expected an object");
  static const std::vector<std::string> kKeys = {
      "secrets",   "signature_header", "signature_prefix", "timestamp_header",
      "tolerance", "event_id",         "event_type"};
  for (const auto& [key, _] : json.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      Fail(where, "unknown key '" + key + "'");
    }
  }
  GenericWebhookSource source;
  source.name = name;
  const Json secrets = json.value("secrets", Json());
  if (!secrets.is_array() || secrets.empty()) Fail(where + ".secrets", "list one or more secrets");
  for (const auto& secret : secrets) {
    if (!secret.is_string() || secret.get<std::string>().empty()) {
      Fail(where + ".secrets", "every secret is a non-empty string");
    }
    source.scheme.secrets.push_back(secret.get<std::string>());
  }
  source.signature_header = Text(json, "signature_header", where, "X-Signature");
  source.scheme.prefix = Text(json, "signature_prefix", where, "");
  source.timestamp_header = Text(json, "timestamp_header", where, "");
  source.scheme.timestamped = !source.timestamp_header.empty();
  if (json.contains("tolerance")) {
    const auto tolerance = json["tolerance"].is_string()
                               ? ParseDuration(json["tolerance"].get<std::string>())
                               : std::nullopt;
    if (!tolerance) Fail(where + ".tolerance", "expected a duration such as 5m or 300s");
    source.scheme.tolerance = std::chrono::duration_cast<std::chrono::seconds>(*tolerance);
  }
  source.event_id = ParseField(json.value("event_id", Json()), where + ".event_id", "id");
  source.event_type = ParseField(json.value("event_type", Json()), where + ".event_type", "type");
  return source;
}

}  // namespace

std::optional<std::string> WebhookField::Read(const HttpRequest& request, const Json& body) const {
  if (header) {
    auto value = request.Header(*header);
    if (!value || value->empty()) return std::nullopt;
    return value;
  }
  const Json* node = &body;
  for (const auto& segment : path) {
    if (!node->is_object() || !node->contains(segment)) return std::nullopt;
    node = &(*node)[segment];
  }
  if (node->is_string()) {
    if (node->get<std::string>().empty()) return std::nullopt;
    return node->get<std::string>();
  }
  if (node->is_number_integer() || node->is_number_unsigned()) return node->dump();
  return std::nullopt;
}

std::string WebhookField::Describe() const {
  if (header) return "header " + *header;
  std::string dotted;
  for (const auto& segment : path) dotted += (dotted.empty() ? "" : ".") + segment;
  return "body field " + dotted;
}

std::map<std::string, GenericWebhookSource> WebhookConfig::ParseSources(const Json& json,
                                                                        const std::string& where) {
  if (!json.is_object()) Fail(where, "expected a JSON object of sources");
  std::map<std::string, GenericWebhookSource> sources;
  for (const auto& [name, body] : json.items()) {
    sources[name] = ParseSource(name, body, where + ": " + name);
  }
  return sources;
}

WebhookConfig WebhookConfig::FromConfig(const Config& config) {
  WebhookConfig webhooks;
  webhooks.stripe_secrets = SplitComma(config.stripe_webhook_secrets);
  webhooks.stripe_tolerance =
      std::chrono::duration_cast<std::chrono::seconds>(config.stripe_webhook_tolerance);
  if (!config.webhook_sources_file.empty()) {
    const std::string where = "SAGAFLOW_WEBHOOK_SOURCES_FILE " + config.webhook_sources_file;
    std::ifstream file(config.webhook_sources_file);
    if (!file) Fail(where, "cannot read the file");
    const Json json = Json::parse(file, nullptr, false);
    if (json.is_discarded()) Fail(where, "not valid JSON");
    webhooks.sources = ParseSources(json, where);
  }
  return webhooks;
}

}  // namespace sagaflow
