// The libcurl handles behind SendHttp (steps/http_client.cpp), internal to
// steps/: libcurl's global set-up and the share object that lets every
// thread's handle use the same DNS answers and TLS sessions (made once per
// process, never destroyed), and one easy handle per thread, which keeps
// that thread's open connections for reuse. libcurl does not support one
// connection cache used by concurrent threads, hence a handle per thread.
#pragma once

#include <curl/curl.h>

#include <vector>

namespace sagaflow::steps::curl {

// The process-wide share object (DNS and TLS sessions), locked per data kind.
CURLSH* Share();

struct ThreadHandle {
  CURL* easy = nullptr;
  // Sockets the current request opened and has not closed: libcurl's own
  // connect timer only fires once TLS is done too, so SendHttp looks at these
  // to tell a slow TCP connect from a slow handshake.
  std::vector<curl_socket_t> opened;
  ~ThreadHandle();
};

// The calling thread's handle, its options reset for a new request
// (connections and caches stay).
ThreadHandle& ThisThreadHandle();

// CURLOPT_OPENSOCKETFUNCTION / CURLOPT_CLOSESOCKETFUNCTION with the
// ThreadHandle as their data: they keep `opened` up to date.
curl_socket_t OnOpenSocket(void* handle, curlsocktype purpose, curl_sockaddr* address);
int OnCloseSocket(void* handle, curl_socket_t fd);

// Whether any of the sockets has finished its TCP connect.
bool AnySocketConnected(const std::vector<curl_socket_t>& sockets);

}  // namespace sagaflow::steps::curl
