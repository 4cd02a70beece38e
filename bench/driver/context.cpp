#include "bench/driver/context.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "bench/driver/cpu.hpp"
#include "bench/driver/pg.hpp"
#include "bench/driver/stats.hpp"
#include "bench/driver/table.hpp"

namespace bench {
namespace {

std::string FirstMatch(const std::string& file, const std::string& prefix) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) {
      std::string value = line.substr(line.find(':') + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return "?";
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " / " + five + " / " + fifteen;
}

}  // namespace

std::optional<double> Context::CeilingAt(int clients) const {
  if (ceiling_tps.empty()) return std::nullopt;
  if (auto exact = ceiling_tps.find(clients); exact != ceiling_tps.end()) return exact->second;
  auto above = ceiling_tps.lower_bound(clients);
  if (above == ceiling_tps.begin()) return above->second;
  if (above == ceiling_tps.end()) return std::prev(above)->second;
  auto below = std::prev(above);
  const double t = double(clients - below->first) / double(above->first - below->first);
  return below->second + t * (above->second - below->second);
}

double Context::PostgresCpuSeconds() const {
  return postmaster > 0 ? TreeCpuSeconds(postmaster) : 0;
}

ServeSettings Context::Serve(const std::string& database, bool engine_defaults) const {
  static int serial = 0;
  ServeSettings s;
  s.binary = options.sagaflow;
  s.database_url = options.pg.Url(database);
  s.workflows_dir = options.workflows;
  s.log_file = options.work_dir + "/serve-" + database + "-" + std::to_string(++serial) + ".log";
  s.token = token;
  if (!engine_defaults) {
    s.workers = options.workers;
    s.max_in_flight = options.max_in_flight;
  }
  return s;
}

std::vector<std::unique_ptr<ServeProcess>> Context::StartServers(const std::string& database,
                                                                 int count,
                                                                 bool engine_defaults) const {
  std::vector<std::unique_ptr<ServeProcess>> servers;
  for (int i = 0; i < count; ++i) {
    servers.push_back(std::make_unique<ServeProcess>(Serve(database, engine_defaults)));
  }
  return servers;
}

void PrintMachine(const Context& context) {
  PgConnection admin(context.options.pg.Url("postgres"));
  auto setting = [&](const std::string& name) { return admin.Scalar("SHOW " + name); };
  utsname name{};
  uname(&name);
  const long memory_kib = std::stol(FirstMatch("/proc/meminfo", "MemTotal"));
  Table table({"what", "value"});
  table.Add({"CPU", FirstMatch("/proc/cpuinfo", "model name")});
  table.Add({"cores", std::to_string(std::thread::hardware_concurrency())});
  table.Add({"memory", Fixed(memory_kib / 1048576.0, 1) + " GiB"});
  table.Add({"kernel", std::string(name.sysname) + " " + name.release});
  table.Add({"PostgreSQL", admin.Scalar("SELECT split_part(version(), ' on ', 1)")});
  table.Add({"fsync / synchronous_commit / wal_sync_method",
             setting("fsync") + " / " + setting("synchronous_commit") + " / " +
                 setting("wal_sync_method")});
  table.Add({"shared_buffers / max_wal_size",
             setting("shared_buffers") + " / " + setting("max_wal_size")});
  table.Add({"load average (1/5/15 min) at start", LoadAverage()});
  Heading("Machine");
  Print(table.Markdown());
}

}  // namespace bench
