#include "tests/support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace sagaflow::testing {

Json RawResponse::JsonBody() const {
  Json json = Json::parse(body, nullptr, false);
  return json.is_discarded() ? Json() : json;
}

std::string RawResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string RawResponse::ErrorCode() const {
  const Json json = JsonBody();
  if (json.is_object() && json.contains("error") && json["error"].is_object()) {
    return json["error"].value("code", "");
  }
  return "";
}

RawResponse SendRaw(unsigned short port, const std::string& bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading it all
    sent += static_cast<size_t>(n);
  }
  std::string data;
  char buffer[8192];
  RawResponse response;
  size_t header_end = std::string::npos;
  size_t wanted = std::string::npos;
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        const std::string head = data.substr(0, header_end);
        size_t line_end = head.find("\r\n");
        const std::string status_line = head.substr(0, line_end);
        response.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
        while (line_end != std::string::npos && line_end < head.size()) {
          const size_t next = head.find("\r\n", line_end + 2);
          const std::string line = head.substr(
              line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
          const size_t colon = line.find(':');
          if (colon != std::string::npos) {
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            response.headers[line.substr(0, colon)] = value;
          }
          line_end = next;
        }
        auto length = response.headers.find("Content-Length");
        if (length != response.headers.end()) wanted = std::stoul(length->second);
      }
    }
    if (header_end != std::string::npos && wanted != std::string::npos &&
        data.size() >= header_end + 4 + wanted) {
      break;
    }
  }
  close(fd);
  if (header_end == std::string::npos) throw std::runtime_error("no HTTP response");
  response.body = data.substr(header_end + 4, wanted);
  return response;
}

RawResponse Send(unsigned short port, const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "Connection: close\r\n\r\n" + body;
  return SendRaw(port, request);
}

RawResponse SendJson(unsigned short port, const std::string& method, const std::string& target,
                     const std::string& token, const Json& body) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  std::string text;
  if (!body.is_null()) {
    headers.emplace_back("Content-Type", "application/json");
    text = body.dump();
  }
  return Send(port, method, target, headers, text);
}

}  // namespace sagaflow::testing
