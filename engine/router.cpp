#include "engine/router.hpp"

#include <chrono>
#include <iostream>

#include "engine/errors.hpp"
#include "engine/metrics.hpp"

namespace sagaflow {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

}  // namespace

void Router::Add(Route route) {
  routes_.push_back(std::move(route));
}

bool Router::Match(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& params) {
  const auto want = Segments(pattern);
  const auto got = Segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (got[i].empty()) return false;
      found[want[i].substr(1, want[i].size() - 2)] = got[i];
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

HttpResponse Router::Dispatch(HttpRequest& request, const Route*& matched) const {
  std::string allowed;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(route.pattern, request.path, params)) continue;
    if (route.method != request.method) {
      if (allowed.find(route.method) == std::string::npos) {
        allowed += (allowed.empty() ? "" : ", ") + route.method;
      }
      continue;
    }
    matched = &route;
    request.params = std::move(params);
    Caller caller;
    if (route.access == Access::kApi || route.access == Access::kAdmin) {
      const auto header = request.Header("Authorization");
      if (!header) {
        throw ApiError(ApiErrorKind::kUnauthorized, "unauthenticated",
                       "this endpoint needs an Authorization: Bearer token");
      }
      auto who = auth_.Authenticate(*header);
      if (!who) throw ApiError(ApiErrorKind::kUnauthorized, "unauthenticated", "unknown token");
      if (route.access == Access::kAdmin && who->scope != "admin") {
        throw ApiError(ApiErrorKind::kForbidden, "forbidden",
                       "token '" + who->name + "' has scope " + who->scope + "; this needs admin");
      }
      caller = *who;
    }
    return route.handler(request, caller);
  }
  if (!allowed.empty()) {
    ApiError error(ApiErrorKind::kMethodNotAllowed, "method_not_allowed",
                   request.method + " is not allowed on " + request.path + "; use " + allowed);
    error.headers.emplace_back("Allow", allowed);
    throw error;
  }
  throw ApiError(ApiErrorKind::kNotFound, "not_found", "no route for " + request.path);
}

HttpResponse Router::Handle(HttpRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  const Route* matched = nullptr;
  HttpResponse response;
  try {
    response = Dispatch(request, matched);
  } catch (const ApiError& error) {
    response = ErrorResponse(error);
  } catch (const StoreUnavailable& error) {
    response = ErrorResponse(ApiErrorKind::kUnavailable, "database_unavailable",
                             "the database cannot be reached; try again shortly");
    response.headers.emplace_back("Retry-After", "1");
  } catch (const RetryableStoreError&) {
    response = ErrorResponse(ApiErrorKind::kUnavailable, "busy", "a conflicting write; try again");
    response.headers.emplace_back("Retry-After", "1");
  } catch (const std::exception& error) {
    std::cerr << "sagaflow: " << request.method << " " << request.path
              << ": internal error: " << error.what() << "\n";
    response = ErrorResponse(ApiErrorKind::kInternal, "internal", "an internal error occurred");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string route = matched ? matched->pattern : "unmatched";
  Metrics().Add(
      "sagaflow_http_requests_total",
      {{"route", route}, {"method", request.method}, {"status", std::to_string(response.status)}});
  Metrics().Observe("sagaflow_http_request_duration_seconds", {{"route", route}}, seconds);
  return response;
}

}  // namespace sagaflow
