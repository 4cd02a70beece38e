// The CLI's client for the sagaflow HTTP API (libcurl). Base URL from
// --url or SAGAFLOW_URL, token from SAGAFLOW_TOKEN.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow::cli {

struct ApiResult {
  int status = 0;  // 0: no answer (connection failed)
  Json body;
  std::string transport_error;
};

class ApiClient {
 public:
  ApiClient(std::string base_url, std::string token);

  ApiResult Call(const std::string& method, const std::string& path,
                 const std::optional<Json>& body = std::nullopt,
                 const std::vector<std::string>& extra_headers = {}) const;

 private:
  std::string base_url_;
  std::string token_;
};

// Percent-encodes a query value.
std::string QueryEscape(const std::string& value);

}  // namespace sagaflow::cli
