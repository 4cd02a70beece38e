#include "bench/driver/serve_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bench/driver/http_client.hpp"

namespace bench {
namespace {

long StatusField(pid_t pid, const std::string& name) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(name + ":", 0) == 0) return std::stol(line.substr(name.size() + 1));
  }
  return 0;
}

std::string Tail(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

}  // namespace

unsigned short FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

ServeProcess::ServeProcess(const ServeSettings& s) : port_(FreePort()), log_file_(s.log_file) {
  std::map<std::string, std::string> env = {
      {"DATABASE_URL", s.database_url},
      {"SAGAFLOW_WORKFLOWS", s.workflows_dir},
      {"SAGAFLOW_LISTEN", "127.0.0.1:" + std::to_string(port_)},
      {"SAGAFLOW_TOKENS", "bench:admin:" + s.token},
      {"SAGAFLOW_SHUTDOWN_GRACE", "5s"},
      // The per-token limit on run starts guards against runaway clients;
      // the benchmark measures capacity, so it is off (0).
      {"SAGAFLOW_START_RATE_LIMIT", "0"},
  };
  if (s.workers > 0) env["SAGAFLOW_WORKERS"] = std::to_string(s.workers);
  if (s.max_in_flight > 0) env["SAGAFLOW_MAX_IN_FLIGHT"] = std::to_string(s.max_in_flight);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv = {const_cast<char*>(s.binary.c_str()), const_cast<char*>("serve"),
                               nullptr};
    execv(argv[0], argv.data());
    _exit(127);
  }
  // The HTTP server starts last, after migrations and the executor.
  HttpClient probe(port_, s.token);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (probe.Get("/healthz").status != 200) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("sagaflow serve exited at start-up:\n" + Tail(log_file_));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
      throw std::runtime_error("sagaflow serve did not answer in 60 s:\n" + Tail(log_file_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ServeProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

long ServeProcess::ResidentKib() const {
  return pid_ > 0 ? StatusField(pid_, "VmRSS") : 0;
}
long ServeProcess::PeakResidentKib() const {
  return pid_ > 0 ? StatusField(pid_, "VmHWM") : 0;
}

}  // namespace bench
