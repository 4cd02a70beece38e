// Errors an API handler returns, and the one table mapping their kinds to
// HTTP statuses. Every error body is {"error": {"code", "message", "details"}}.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "engine/http_types.hpp"
#include "engine/json.hpp"

namespace sagaflow {

enum class ApiErrorKind {
  kBadRequest,        // 400
  kUnauthorized,      // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kMethodNotAllowed,  // 405
  kConflict,          // 409
  kPayloadTooLarge,   // 413
  kUnsupportedMedia,  // 415
  kHeadersTooLarge,   // 431
  kTooManyRequests,   // 429
  kInternal,          // 500
  kUnavailable,       // 503
};

int StatusOf(ApiErrorKind kind);

// Thrown by handlers; the router turns it into the JSON error response.
class ApiError : public std::runtime_error {
 public:
  ApiError(ApiErrorKind kind, std::string code, std::string message, Json details = nullptr)
      : std::runtime_error(message),
        kind(kind),
        code(std::move(code)),
        details(std::move(details)) {}

  ApiErrorKind kind;
  std::string code;
  Json details;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow, Retry-After
};

HttpResponse ErrorResponse(const ApiError& error);
HttpResponse ErrorResponse(ApiErrorKind kind, const std::string& code, const std::string& message,
                           Json details = nullptr);

}  // namespace sagaflow
