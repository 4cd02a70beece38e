// Boost 1.74's asio/awaitable.hpp needs <utility> first under g++ 12.
#include <utility>

#include "engine/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <iostream>
#include <list>
#include <mutex>
#include <thread>

namespace sagaflow {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

HttpRequest ToRequest(const http::request<http::string_body>& in, const std::string& remote) {
  HttpRequest request;
  request.method = std::string(in.method_string());
  request.target = std::string(in.target());
  request.remote_address = remote;
  for (const auto& field : in) {
    request.headers[std::string(field.name_string())] = std::string(field.value());
  }
  request.body = in.body();
  return request;
}

http::response<http::string_body> ToBeast(const HttpResponse& out, unsigned version,
                                          bool keep_alive) {
  http::response<http::string_body> response{static_cast<http::status>(out.status), version};
  response.set(http::field::server, "sagaflow");
  response.set(http::field::content_type, out.content_type);
  for (const auto& [name, value] : out.headers) response.set(name, value);
  response.body() = out.body;
  response.keep_alive(keep_alive);
  response.prepare_payload();
  return response;
}

// Runs `work` on the handler pool and resumes the coroutine on its own
// executor with the result.
template <typename Token>
auto OnPool(asio::thread_pool& pool, std::function<HttpResponse()> work, Token&& token) {
  return asio::async_initiate<Token, void(HttpResponse)>(
      [&pool](auto handler, std::function<HttpResponse()> work) {
        auto executor = asio::get_associated_executor(handler);
        asio::post(
            pool, [handler = std::move(handler), work = std::move(work), executor]() mutable {
              HttpResponse response = work();
              asio::post(executor,
                         [handler = std::move(handler), response = std::move(response)]() mutable {
                           handler(std::move(response));
                         });
            });
      },
      token, std::move(work));
}

}  // namespace

struct HttpServer::Impl {
  const Router& router;
  HttpServerOptions options;
  asio::io_context io;
  asio::thread_pool handlers;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  unsigned short bound_port = 0;

  // Open connections, so Stop can close the idle ones.
  std::mutex mutex;
  std::condition_variable drained;
  std::list<beast::tcp_stream*> streams;
  std::atomic<int> busy{0};  // requests being handled

  Impl(const Router& r, HttpServerOptions o)
      : router(r), options(std::move(o)), handlers(std::max(1, options.handler_threads)) {}

  asio::awaitable<void> Accept() {
    while (!stopping) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      asio::co_spawn(io, Session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Respond(beast::tcp_stream& stream, const HttpResponse& response,
                                unsigned version, bool keep_alive) {
    auto message = ToBeast(response, version, keep_alive);
    boost::system::error_code ec;
    stream.expires_after(options.read_timeout);
    co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    std::string remote;
    {
      boost::system::error_code ec;
      auto endpoint = stream.socket().remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }
    std::list<beast::tcp_stream*>::iterator registered;
    {
      std::lock_guard lock(mutex);
      registered = streams.insert(streams.end(), &stream);
    }
    beast::flat_buffer buffer;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.max_body_bytes);
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      boost::system::error_code ec;
      stream.expires_after(options.read_timeout);
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::body_limit) {
        co_await Respond(stream,
                         ErrorResponse(ApiErrorKind::kPayloadTooLarge, "body_too_large",
                                       "the request body is over " +
                                           std::to_string(options.max_body_bytes) + " bytes"),
                         11, false);
        break;
      }
      if (ec == http::error::header_limit) {
        co_await Respond(stream,
                         ErrorResponse(ApiErrorKind::kHeadersTooLarge, "headers_too_large",
                                       "the request line and headers are over " +
                                           std::to_string(options.max_header_bytes) + " bytes"),
                         11, false);
        break;
      }
      if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
          ec == asio::error::eof) {
        break;
      }
      if (ec) {
        co_await Respond(stream,
                         ErrorResponse(ApiErrorKind::kBadRequest, "bad_http",
                                       "malformed HTTP request: " + ec.message()),
                         11, false);
        break;
      }
      auto message = parser.release();
      HttpRequest request = ToRequest(message, remote);
      const bool keep_alive = message.keep_alive() && !stopping;
      ++busy;
      HttpResponse response = co_await OnPool(
          handlers,
          [this, &request]() -> HttpResponse {
            if (!ParseTarget(request.target, request.path, request.query)) {
              return ErrorResponse(ApiErrorKind::kBadRequest, "bad_target",
                                   "the request URL has malformed percent-encoding");
            }
            return router.Handle(request);
          },
          asio::use_awaitable);
      co_await Respond(stream, response, message.version(), keep_alive);
      --busy;
      drained.notify_all();
      if (!keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    std::lock_guard lock(mutex);
    streams.erase(registered);
    drained.notify_all();
  }
};

HttpServer::HttpServer(const Router& router, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

HttpServer::~HttpServer() {
  Stop(std::chrono::milliseconds(0));
}

void HttpServer::Start() {
  const std::string& listen = impl_->options.listen;
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("listen address needs host:port: " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("bad listen address '" + host + "': " + ec.message());
  unsigned long port = 0;
  try {
    port = std::stoul(listen.substr(colon + 1));
  } catch (...) {
    throw std::runtime_error("bad listen port in '" + listen + "'");
  }
  if (port > 65535) throw std::runtime_error("bad listen port in '" + listen + "'");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint, ec);
  if (ec) throw std::runtime_error("cannot listen on " + listen + ": " + ec.message());
  acceptor.listen(asio::socket_base::max_listen_connections);
  impl_->bound_port = acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  for (int i = 0; i < std::max(1, impl_->options.io_threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
}

unsigned short HttpServer::port() const {
  return impl_->bound_port;
}

void HttpServer::Stop(std::chrono::milliseconds deadline) {
  if (impl_->threads.empty() || impl_->stopping.exchange(true)) return;
  asio::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  {
    // Requests in flight finish; then idle connections are closed.
    std::unique_lock lock(impl_->mutex);
    impl_->drained.wait_for(lock, deadline, [this] { return impl_->busy == 0; });
    for (auto* stream : impl_->streams) {
      // The session may end (and destroy its stream) before this runs: only
      // a stream still registered, checked under the lock the session takes
      // to unregister, is alive.
      asio::post(impl_->io, [this, stream] {
        std::lock_guard lock(impl_->mutex);
        const auto& live = impl_->streams;
        if (std::find(live.begin(), live.end(), stream) != live.end()) stream->cancel();
      });
    }
    impl_->drained.wait_for(lock, std::chrono::seconds(2),
                            [this] { return impl_->streams.empty(); });
  }
  impl_->io.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  impl_->handlers.join();
}

}  // namespace sagaflow
