#include "examples/standin/server.hpp"

#include <atomic>
#include <thread>
#include <utility>  // before asio: Boost 1.74 with g++ 12 needs it

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace sagaflow::standin {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

Request Convert(const http::request<http::string_body>& in, const std::string& scheme,
                long long connection_id) {
  Request request;
  request.connection_id = connection_id;
  request.method = std::string(in.method_string());
  for (char& c : request.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  request.target = std::string(in.target());
  std::string target = request.target;
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    request.proxied = true;
    const size_t start = target.find("://") + 3;
    const size_t slash = target.find('/', start);
    target = slash == std::string::npos ? "/" : target.substr(slash);
  }
  const size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = ParseForm(target.substr(question + 1));
  size_t start = 0;
  while (start < request.path.size()) {
    size_t slash = request.path.find('/', start);
    if (slash == std::string::npos) slash = request.path.size();
    if (slash > start) {
      request.segments.push_back(PercentDecode(request.path.substr(start, slash - start), false));
    }
    start = slash + 1;
  }
  for (const auto& field : in) {
    const std::string name = Lower(std::string(field.name_string()));
    auto& slot = request.headers[name];
    slot = slot.empty() ? std::string(field.value()) : slot + ", " + std::string(field.value());
  }
  request.body = in.body();
  request.base_url = scheme + "://" + request.Header("host");
  return request;
}

void ResetConnection(tcp::socket& socket) {
  beast::error_code ignored;
  socket.set_option(net::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

template <class Stream>
void Serve(Stream& stream, tcp::socket& socket, StandIn& standin, const std::string& scheme,
           long long connection_id) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(32u << 20);
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec) return;
    const auto& in = parser.get();
    Response out;
    try {
      out = standin.Handle(Convert(in, scheme, connection_id));
    } catch (const std::exception& error) {
      out = Response::JsonBody(500,
                               {{"error", {{"code", "standin_error"}, {"message", error.what()}}}});
    }
    if (out.reset) {
      ResetConnection(socket);
      return;
    }
    http::response<http::string_body> response{static_cast<http::status>(out.status), in.version()};
    response.set(http::field::server, "sagaflow-standin");
    for (const auto& [name, value] : out.headers) response.insert(name, value);
    response.body() = std::move(out.body);
    response.keep_alive(in.keep_alive());
    response.prepare_payload();
    http::write(stream, response, ec);
    if (ec || !response.keep_alive()) return;
  }
}

}  // namespace

struct Server::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<ssl::context> tls;
  StandIn* standin = nullptr;

  std::atomic<long long> connections{0};

  void Session(tcp::socket socket) {
    const long long id = ++connections;
    beast::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    if (!tls) {
      Serve(socket, socket, *standin, "http", id);
      beast::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    ssl::stream<tcp::socket> stream(std::move(socket), *tls);
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) return;
    Serve(stream, stream.next_layer(), *standin, "https", id);
    stream.shutdown(ec);
  }
};

Server::Server(ServerOptions options, StandIn& standin) : impl_(std::make_unique<Impl>()) {
  impl_->standin = &standin;
  if (options.tls) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->use_certificate_chain(net::buffer(options.tls->cert_pem));
    impl_->tls->use_private_key(net::buffer(options.tls->key_pem), ssl::context::pem);
  }
  const tcp::endpoint endpoint(net::ip::make_address(options.address), options.port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(net::socket_base::max_listen_connections);
}

Server::~Server() = default;

unsigned short Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::Run() {
  for (;;) {
    tcp::socket socket(impl_->io);
    beast::error_code ec;
    impl_->acceptor.accept(socket, ec);
    if (ec) continue;
    std::thread([impl = impl_.get(), s = std::move(socket)]() mutable {
      impl->Session(std::move(s));
    }).detach();
  }
}

}  // namespace sagaflow::standin
