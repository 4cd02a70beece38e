// A small blocking HTTP/1.1 client over one keep-alive TCP connection to
// 127.0.0.1, for load loops: no allocation beyond the strings it returns.
// Reconnects when the server closes the connection.
#pragma once

#include <string>

namespace bench {

struct HttpResult {
  int status = 0;  // 0: the request could not be sent or read
  std::string body;
};

class HttpClient {
 public:
  HttpClient(unsigned short port, std::string token);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Get(const std::string& target);
  HttpResult PostJson(const std::string& target, const std::string& body);

 private:
  HttpResult Exchange(const std::string& request);
  bool Connect();
  void Close();

  unsigned short port_;
  std::string token_;
  int fd_ = -1;
  std::string buffer_;
};

// The value of a top-level string field in a JSON object, e.g. "id"; "" if absent.
std::string JsonStringField(const std::string& body, const std::string& field);

}  // namespace bench
