#include "engine/api_error.hpp"

namespace sagaflow {

int StatusOf(ApiErrorKind kind) {
  switch (kind) {
    case ApiErrorKind::kBadRequest:
      return 400;
    case ApiErrorKind::kUnauthorized:
      return 401;
    case ApiErrorKind::kForbidden:
      return 403;
    case ApiErrorKind::kNotFound:
      return 404;
    case ApiErrorKind::kMethodNotAllowed:
      return 405;
    case ApiErrorKind::kConflict:
      return 409;
    case ApiErrorKind::kPayloadTooLarge:
      return 413;
    case ApiErrorKind::kUnsupportedMedia:
      return 415;
    case ApiErrorKind::kHeadersTooLarge:
      return 431;
    case ApiErrorKind::kTooManyRequests:
      return 429;
    case ApiErrorKind::kInternal:
      return 500;
    case ApiErrorKind::kUnavailable:
      return 503;
  }
  return 500;
}

HttpResponse ErrorResponse(const ApiError& error) {
  Json body{{"error", {{"code", error.code}, {"message", error.what()}}}};
  if (!error.details.is_null()) body["error"]["details"] = error.details;
  HttpResponse response = HttpResponse::FromJson(StatusOf(error.kind), body);
  response.headers = error.headers;
  if (error.kind == ApiErrorKind::kUnauthorized) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

HttpResponse ErrorResponse(ApiErrorKind kind, const std::string& code, const std::string& message,
                           Json details) {
  return ErrorResponse(ApiError(kind, code, message, std::move(details)));
}

}  // namespace sagaflow
