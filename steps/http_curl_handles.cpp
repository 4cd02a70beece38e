#include "steps/http_curl_handles.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <mutex>

namespace sagaflow::steps::curl {
namespace {

struct SharedState {
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
};

void LockShared(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<SharedState*>(user)->locks[data].lock();
}

void UnlockShared(CURL*, curl_lock_data data, void* user) {
  static_cast<SharedState*>(user)->locks[data].unlock();
}

SharedState& Shared() {
  // Never destroyed: worker threads may still send while statics go away.
  static SharedState* state = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto* s = new SharedState;
    s->share = curl_share_init();
    curl_share_setopt(s->share, CURLSHOPT_LOCKFUNC, LockShared);
    curl_share_setopt(s->share, CURLSHOPT_UNLOCKFUNC, UnlockShared);
    curl_share_setopt(s->share, CURLSHOPT_USERDATA, s);
    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    return s;
  }();
  return *state;
}

}  // namespace

CURLSH* Share() {
  return Shared().share;
}

ThreadHandle::~ThreadHandle() {
  if (easy) curl_easy_cleanup(easy);
}

ThreadHandle& ThisThreadHandle() {
  Shared();  // curl_global_init first, once, before any easy handle
  thread_local ThreadHandle handle;
  if (!handle.easy) {
    handle.easy = curl_easy_init();
  } else {
    curl_easy_reset(handle.easy);  // options go; connections and caches stay
  }
  handle.opened.clear();
  return handle;
}

curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  const curl_socket_t fd = socket(address->family, address->socktype, address->protocol);
  if (fd != CURL_SOCKET_BAD && purpose == CURLSOCKTYPE_IPCXN) {
    static_cast<ThreadHandle*>(user)->opened.push_back(fd);
  }
  return fd;
}

int OnCloseSocket(void* user, curl_socket_t fd) {
  auto& opened = static_cast<ThreadHandle*>(user)->opened;
  opened.erase(std::remove(opened.begin(), opened.end(), fd), opened.end());
  return close(fd);
}

bool AnySocketConnected(const std::vector<curl_socket_t>& sockets) {
  for (const curl_socket_t fd : sockets) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0) return true;
  }
  return false;
}

}  // namespace sagaflow::steps::curl
