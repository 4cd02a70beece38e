// HTTP requests and responses as plain values, so handlers and their tests
// never include Boost.Beast (only engine/http_server.cpp does).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct HttpRequest {
  std::string method;                             // "GET", "POST", ...
  std::string target;                             // as sent: path and query
  std::string path;                               // decoded path without the query
  std::multimap<std::string, std::string> query;  // decoded; a key may repeat
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;
  std::string remote_address;
  // Filled by the router: {name} segments of the matched route.
  std::map<std::string, std::string> params;

  std::optional<std::string> Header(const std::string& name) const;
  std::optional<std::string> QueryValue(const std::string& name) const;
  std::vector<std::string> QueryValues(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static HttpResponse FromJson(int status, const Json& body);
  static HttpResponse Text(int status, std::string body, std::string content_type = "text/plain");
};

// Splits "/a/b?x=1&y=%20" into the decoded path and query pairs. Returns
// false for malformed percent-encoding.
bool ParseTarget(const std::string& target, std::string& path,
                 std::multimap<std::string, std::string>& query);
std::string PercentDecode(const std::string& text, bool plus_is_space, bool* ok);

}  // namespace sagaflow
