// A deliberately small HTTP/1.1 client over a plain socket, for tests that
// must send exactly the bytes they mean (oversized headers, broken JSON,
// wrong methods) to a server on loopback.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/http_types.hpp"
#include "engine/json.hpp"

namespace sagaflow::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;

  Json JsonBody() const;                              // null when the body is not JSON
  std::string Header(const std::string& name) const;  // "" when absent
  std::string ErrorCode() const;                      // error.code of an error body, or ""
};

// Sends bytes as they are and reads one response (until Content-Length or
// the connection closes). Throws std::runtime_error on connection failure.
RawResponse SendRaw(unsigned short port, const std::string& bytes);

// Builds a well-formed request; Content-Length is added for a body.
RawResponse Send(unsigned short port, const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers = {},
                 const std::string& body = "");

// JSON request with a bearer token.
RawResponse SendJson(unsigned short port, const std::string& method, const std::string& target,
                     const std::string& token, const Json& body = nullptr);

}  // namespace sagaflow::testing
