// The stand-in's own request and response values, free of Beast: the server
// (server.cpp) converts to and from them, the vendor handlers only see these.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sagaflow::standin {

using Json = nlohmann::json;
using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;                 // upper-case
  std::string target;                 // as received (absolute-form when sent through us as a proxy)
  std::string path;                   // without the query, not decoded
  std::vector<std::string> segments;  // path split on '/', each percent-decoded
  Pairs query;                        // decoded
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string base_url;         // scheme://host:port as the client addressed this server
  bool proxied = false;         // the request line held an absolute URL
  long long connection_id = 0;  // which client connection it came on (reuse shows)

  std::string Query(const std::string& name) const;
  bool HasQuery(const std::string& name) const;
  std::string Header(const std::string& name) const;
};

struct Response {
  int status = 200;
  Pairs headers;
  std::string body;
  bool reset = false;  // close the connection with a TCP reset instead of answering

  static Response JsonBody(int status, const Json& body);
  static Response Empty(int status);
};

// Helpers shared by the handlers (util.cpp).
std::string PercentDecode(const std::string& text, bool plus_is_space);
Pairs ParseForm(const std::string& body);
std::string NowIso();
long long NowUnix();
std::string Lower(std::string text);
// Shell-style match: '*' is any run of characters.
bool GlobMatch(const std::string& pattern, const std::string& text);

}  // namespace sagaflow::standin
