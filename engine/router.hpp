// Routes: method + path pattern ("/v1/runs/{id}") -> handler, with the
// access each needs. The router authenticates, matches, answers 404/405,
// turns ApiError and store faults into JSON errors, and counts requests.
// Handlers are plain functions from request to response. Built once at
// start-up; Handle may be called from many threads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/api_error.hpp"
#include "engine/auth.hpp"
#include "engine/http_types.hpp"

namespace sagaflow {

enum class Access { kPublic, kApi, kAdmin, kWebhook };

using Handler = std::function<HttpResponse(const HttpRequest&, const Caller&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kApi;
  Handler handler;
};

class Router {
 public:
  explicit Router(TokenAuth auth) : auth_(std::move(auth)) {}

  void Add(Route route);
  HttpResponse Handle(HttpRequest& request) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool Match(const std::string& pattern, const std::string& path,
                    std::map<std::string, std::string>& params);
  HttpResponse Dispatch(HttpRequest& request, const Route*& matched) const;

  TokenAuth auth_;
  std::vector<Route> routes_;
};

}  // namespace sagaflow
