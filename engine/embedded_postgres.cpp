#include "engine/embedded_postgres.hpp"

#include <pwd.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>

#include "engine/process.hpp"

namespace sagaflow {
namespace fs = std::filesystem;

namespace {

std::string Hash8(const std::string& text) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%08zx", std::hash<std::string>{}(text)&0xffffffffu);
  return buffer;
}

void GiveTo(const fs::path& path, const std::string& user) {
  if (user.empty()) return;
  const passwd* pw = getpwnam(user.c_str());
  if (pw && chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    throw std::runtime_error("cannot hand " + path.string() + " to user " + user);
  }
}

}  // namespace

fs::path PostgresBinDir() {
  if (const char* dir = std::getenv("SAGAFLOW_PG_BIN")) return dir;
  return "/usr/lib/postgresql/15/bin";
}

EmbeddedPostgres::EmbeddedPostgres(fs::path data_dir) : data_dir_(fs::absolute(data_dir)) {}

EmbeddedPostgres::~EmbeddedPostgres() {
  Stop();
}

std::string EmbeddedPostgres::Start() {
  user_ = geteuid() == 0 ? "postgres" : "";
  fs::create_directories(data_dir_);
  cluster_dir_ = data_dir_ / "pg";
  socket_dir_ = data_dir_;
  if (!user_.empty()) {
    // The postgres user must reach the folder; a checkout under /root is out
    // of its reach, so the cluster then lives in a folder of its own.
    if (RunProcess({"test", "-x", data_dir_.string()}, user_).exit_code != 0) {
      const fs::path fallback = fs::path("/var/tmp") / ("sagaflow-pg-" + Hash8(data_dir_));
      fs::create_directories(fallback);
      cluster_dir_ = fallback / "pg";
      socket_dir_ = fallback;
    }
    GiveTo(socket_dir_, user_);
  }
  // A Unix socket path is limited to about 100 bytes.
  if (socket_dir_.string().size() > 80) {
    socket_dir_ = fs::path("/tmp") / ("sagaflow-" + Hash8(data_dir_));
    fs::create_directories(socket_dir_);
    GiveTo(socket_dir_, user_);
  }
  const std::string bin = PostgresBinDir().string();
  if (!fs::exists(cluster_dir_ / "PG_VERSION")) {
    auto init = RunProcess({bin + "/initdb", "-D", cluster_dir_.string(), "-U", "postgres",
                            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"},
                           user_);
    if (init.exit_code != 0) throw std::runtime_error("initdb failed:\n" + init.output);
  }
  const bool running =
      RunProcess({bin + "/pg_ctl", "-D", cluster_dir_.string(), "status"}, user_).exit_code == 0;
  if (!running) {
    auto start = RunProcess({bin + "/pg_ctl", "-D", cluster_dir_.string(), "-l",
                             (cluster_dir_ / "server.log").string(), "-w", "-t", "60", "-o",
                             "-c listen_addresses='' -c unix_socket_directories='" +
                                 socket_dir_.string() + "' -c max_connections=200",
                             "start"},
                            user_);
    if (start.exit_code != 0) {
      throw std::runtime_error("PostgreSQL did not start (log: " +
                               (cluster_dir_ / "server.log").string() + "):\n" + start.output);
    }
    started_here_ = true;
  }
  return "postgresql:///postgres?host=" + socket_dir_.string() + "&user=postgres";
}

void EmbeddedPostgres::Stop() {
  if (!started_here_) return;
  started_here_ = false;
  RunProcess({PostgresBinDir().string() + "/pg_ctl", "-D", cluster_dir_.string(), "-m", "fast",
              "-w", "stop"},
             user_);
}

}  // namespace sagaflow
