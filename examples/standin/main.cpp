// sagaflow-standin: local stand-ins for Scalekit, Salesforce, Stripe and
// Workday with fault injection (see README.md next to this file).
//
//   sagaflow-standin [--listen 127.0.0.1:8099] [--empty]
//                    [--tls-self-signed CERT_OUT [--tls-hostname localhost]]
//
// Prints "sagaflow-standin listening on <url>" once it accepts connections;
// exits on SIGINT or SIGTERM.
#include <unistd.h>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "examples/standin/server.hpp"

namespace {

void Quit(int) {
  _exit(0);
}

int Usage(const std::string& problem) {
  std::cerr << "sagaflow-standin: " << problem
            << "\nusage: sagaflow-standin [--listen HOST:PORT] [--empty] "
               "[--tls-self-signed CERT_OUT] [--tls-hostname NAME]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sagaflow::standin;
  std::string listen = "127.0.0.1:8099";
  bool empty = false;
  std::string cert_out;
  std::string tls_hostname = "localhost";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    if (arg == "--listen") {
      if (!value(listen)) return Usage("--listen needs HOST:PORT");
    } else if (arg == "--empty") {
      empty = true;
    } else if (arg == "--tls-self-signed") {
      if (!value(cert_out))
        return Usage("--tls-self-signed needs a file to write the certificate to");
    } else if (arg == "--tls-hostname") {
      if (!value(tls_hostname)) return Usage("--tls-hostname needs a name");
    } else {
      return Usage("unknown argument " + arg);
    }
  }
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Usage("--listen needs HOST:PORT");

  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, Quit);
  std::signal(SIGTERM, Quit);
  try {
    ServerOptions options;
    options.address = listen.substr(0, colon);
    options.port = static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)));
    if (!cert_out.empty()) {
      options.tls = MakeSelfSigned(tls_hostname);
      std::ofstream(cert_out) << options.tls->cert_pem;
    }
    StandIn standin(!empty);
    Server server(options, standin);
    std::cout << "sagaflow-standin listening on " << (options.tls ? "https" : "http") << "://"
              << options.address << ":" << server.port() << std::endl;
    server.Run();
  } catch (const std::exception& error) {
    std::cerr << "sagaflow-standin: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
