#include "bench/driver/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace bench {

HttpClient::HttpClient(unsigned short port, std::string token)
    : port_(port), token_(std::move(token)) {}

HttpClient::~HttpClient() {
  Close();
}

void HttpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::Connect() {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return false;
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval timeout{60, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    Close();
    return false;
  }
  return true;
}

HttpResult HttpClient::Get(const std::string& target) {
  return Exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                  token_ + "\r\n\r\n");
}

HttpResult HttpClient::PostJson(const std::string& target, const std::string& body) {
  return Exchange("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                  token_ + "\r\nContent-Type: application/json\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
}

HttpResult HttpClient::Exchange(const std::string& request) {
  // One retry: a kept-alive connection may have been closed by the server.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (fd_ < 0 && !Connect()) return {};
    size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    if (sent < request.size()) {
      Close();
      continue;
    }
    size_t header_end = std::string::npos;
    size_t length = 0;
    bool closing = false;
    char chunk[16384];
    while (true) {
      if (header_end == std::string::npos) {
        header_end = buffer_.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          std::string head = buffer_.substr(0, header_end);
          for (char& c : head) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
          const size_t at = head.find("\r\ncontent-length:");
          if (at != std::string::npos) length = std::stoul(head.substr(at + 17));
          closing = head.find("\r\nconnection: close") != std::string::npos;
        }
      }
      if (header_end != std::string::npos && buffer_.size() >= header_end + 4 + length) break;
      const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    if (header_end == std::string::npos || buffer_.size() < header_end + 4 + length) {
      const bool nothing = buffer_.empty();
      Close();
      if (nothing) continue;  // closed before answering: try once more
      return {};
    }
    HttpResult result;
    const size_t space = buffer_.find(' ');
    result.status = std::atoi(buffer_.c_str() + space + 1);
    result.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    if (closing) Close();
    return result;
  }
  return {};
}

std::string JsonStringField(const std::string& body, const std::string& field) {
  const std::string key = "\"" + field + "\":\"";
  const size_t at = body.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  const size_t end = body.find('"', start);
  return end == std::string::npos ? "" : body.substr(start, end - start);
}

}  // namespace bench
