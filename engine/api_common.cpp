#include <algorithm>

#include "engine/api.hpp"
#include "engine/ids.hpp"
#include "engine/spelling.hpp"

namespace sagaflow {
namespace api {

Json JsonBody(const HttpRequest& request, bool allow_empty) {
  const bool empty = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (empty && allow_empty) return Json::object();
  const std::string type = request.Header("Content-Type").value_or("");
  std::string media = type.substr(0, type.find(';'));
  media.erase(std::remove(media.begin(), media.end(), ' '), media.end());
  std::transform(media.begin(), media.end(), media.begin(), ::tolower);
  if (media != "application/json") {
    throw ApiError(ApiErrorKind::kUnsupportedMedia, "unsupported_media_type",
                   "send the body as application/json" +
                       (type.empty() ? std::string() : ", not " + type));
  }
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    // Parse again for the position of the problem.
    try {
      Json strict = Json::parse(request.body);
      (void)strict;
    } catch (const Json::parse_error& error) {
      throw ApiError(ApiErrorKind::kBadRequest, "malformed_json",
                     "the body is not valid JSON (at byte " + std::to_string(error.byte) + ")");
    }
  }
  if (!body.is_object()) {
    throw ApiError(ApiErrorKind::kBadRequest, "malformed_json", "the body must be a JSON object");
  }
  return body;
}

int Limit(const HttpRequest& request, int fallback, int max) {
  const auto text = request.QueryValue("limit");
  if (!text) return fallback;
  int value = 0;
  const bool digits = !text->empty() && text->size() <= 6 &&
                      text->find_first_not_of("0123456789") == std::string::npos;
  if (digits) value = std::stoi(*text);
  if (!digits || value < 1 || value > max) {
    throw ApiError(ApiErrorKind::kBadRequest, "bad_limit",
                   "limit must be a whole number from 1 to " + std::to_string(max));
  }
  return value;
}

std::string RunId(const HttpRequest& request) {
  const std::string& id = request.params.at("id");
  if (!LooksLikeUuid(id)) throw ApiError(ApiErrorKind::kNotFound, "run_not_found", "no run " + id);
  return id;
}

void RejectUnknownKeys(const Json& body, const std::vector<std::string>& allowed) {
  for (const auto& [key, _] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw ApiError(ApiErrorKind::kBadRequest, "unknown_field",
                     "unknown field '" + key + "'" + DidYouMean(key, allowed));
    }
  }
}

}  // namespace api

Router BuildRouter(Engine& engine, TokenAuth auth) {
  Router router(std::move(auth));
  AddRunRoutes(router, engine);
  AddAdminRoutes(router, engine);
  AddSystemRoutes(router, engine);
  return router;
}

}  // namespace sagaflow
