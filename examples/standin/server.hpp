// The stand-in's HTTP(S) server: Beast over blocking sockets, one thread per
// connection (keep-alive honoured), each request handed to StandIn::Handle.
// A Response with `reset` closes the connection with a TCP reset instead of
// answering. Requests in absolute form (sent to us as an HTTP proxy) are
// served as if addressed to us, and marked `proxied`.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "examples/standin/standin.hpp"
#include "examples/standin/tls_cert.hpp"

namespace sagaflow::standin {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: any free port
  std::optional<CertificatePair> tls;
};

class Server {
 public:
  Server(ServerOptions options, StandIn& standin);  // binds; throws on failure
  ~Server();
  unsigned short port() const;
  // Accepts forever on the calling thread.
  void Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sagaflow::standin
