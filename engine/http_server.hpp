// The HTTP/1.1 server (Boost.Beast on Asio, C++20 coroutines). Session code
// only does I/O: reading with a per-read timeout and size limits, keep-alive,
// writing, shutdown. Each request is handed to the Router on a separate
// handler pool, so database work never blocks an I/O thread.
//
// Beast stays inside http_server.cpp; this header is cheap to include.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "engine/router.hpp"

namespace sagaflow {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int io_threads = 2;
  int handler_threads = 8;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  std::chrono::milliseconds read_timeout{30'000};
};

class HttpServer {
 public:
  HttpServer(const Router& router, HttpServerOptions options);
  ~HttpServer();

  // Binds and starts serving. Throws std::runtime_error when it cannot bind.
  void Start();
  // The bound port (useful with port 0).
  unsigned short port() const;
  // Stops accepting, lets requests in flight finish until `deadline`, closes
  // idle connections and joins the threads.
  void Stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sagaflow
