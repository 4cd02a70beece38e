// Helpers for the stand-in's Scalekit handlers (scalekit_api.cpp,
// scalekit_users_api.cpp): error bodies, metadata limits, body parsing.
#pragma once

#include <optional>
#include <string>

#include "examples/standin/standin.hpp"

namespace sagaflow::standin::scalekit_shapes {

inline Response Error(int status, const std::string& message, const std::string& code = "") {
  return Response::JsonBody(status, ScalekitError(status, message, code));
}

inline std::optional<Response> CheckMetadata(const Json& metadata, const std::string& field) {
  if (metadata.is_null()) return std::nullopt;
  auto violation = [&](const std::string& description) {
    Json body = ScalekitError(400, "invalid request: " + description, "INVALID_ARGUMENT");
    body["details"][0]["validation_error_info"] = {
        {"field_violations",
         Json::array(
             {{{"field", field}, {"description", description}, {"constraint", "metadata"}}})}};
    return Response::JsonBody(400, body);
  };
  if (!metadata.is_object()) return violation("metadata must be a map of strings");
  if (metadata.size() > 10) return violation("at most 10 metadata pairs");
  for (const auto& [key, value] : metadata.items()) {
    if (key.size() < 3 || key.size() > 25) {
      return violation("metadata key '" + key + "' must have 3 to 25 characters");
    }
    if (!value.is_string() || value.get<std::string>().empty() ||
        value.get<std::string>().size() > 256) {
      return violation("metadata value of '" + key + "' must be a string of 1 to 256 characters");
    }
  }
  return std::nullopt;
}

inline std::optional<Json> ParseBody(const Request& request) {
  if (request.body.empty()) return Json::object();
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  return body;
}

inline std::string Text(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace sagaflow::standin::scalekit_shapes
