#include "bench/driver/options.hpp"

#include <functional>
#include <map>

namespace bench {
namespace {

std::vector<int> IntList(const std::string& text) {
  std::vector<int> values;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    values.push_back(std::stoi(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return values;
}

}  // namespace

std::string Usage() {
  return R"(sagaflow-bench --sagaflow BIN --workflows DIR --work-dir DIR --pg-host SOCKET_DIR [options]
  --scenarios 1,2,...     which scenarios (default all: 1 ceiling, 2 throughput, 3 saga,
                          4 commits per transition, 5 start endpoint, 6 idle, 7 memory,
                          8 scale-out, 9 listing at size, 10 outside-state steps)
  --quick                 small sizes for a smoke run
  --runs N                runs per throughput measurement (5000)
  --max-seconds S         ... or stop starting runs after S seconds (15)
  --concurrency 1,16,64   runs in flight for scenarios 2, 3 and 10
  --ceiling-clients 1,8,16,32,64   --ceiling-seconds 5
  --row-ceiling-seconds 3 pgbench at the row's concurrency just before each throughput row
                          (0: divide by scenario 1's figures instead)
  --workers N             SAGAFLOW_WORKERS of the serve processes (64)
  --max-in-flight N       SAGAFLOW_MAX_IN_FLIGHT (128)
  --no-default-row        skip the 64-in-flight row with the engine's default settings
  --wrk-seconds 20  --wrk-connections 64  --idle-seconds 30
  --waiting-runs 10000  --completed-runs 100000  --memory-seconds 120
  --processes 1,2,3  --scale-concurrency 64
  --listing-rows 1000000  --listing-requests 200
  --perf FILE             perf record -g the serve process during scenario 2's last row
)";
}

std::optional<std::string> Options::Parse(int argc, char** argv) {
  std::map<std::string, std::function<void(const std::string&)>> with_value = {
      {"sagaflow", [&](const std::string& v) { sagaflow = v; }},
      {"workflows", [&](const std::string& v) { workflows = v; }},
      {"work-dir", [&](const std::string& v) { work_dir = v; }},
      {"pg-host", [&](const std::string& v) { pg.host = v; }},
      {"pg-user", [&](const std::string& v) { pg.user = v; }},
      {"scenarios",
       [&](const std::string& v) {
         const auto list = IntList(v);
         scenarios = std::set<int>(list.begin(), list.end());
       }},
      {"runs", [&](const std::string& v) { runs = std::stoll(v); }},
      {"max-seconds", [&](const std::string& v) { max_seconds = std::stoi(v); }},
      {"concurrency", [&](const std::string& v) { concurrency = IntList(v); }},
      {"ceiling-clients", [&](const std::string& v) { ceiling_clients = IntList(v); }},
      {"ceiling-seconds", [&](const std::string& v) { ceiling_seconds = std::stoi(v); }},
      {"row-ceiling-seconds", [&](const std::string& v) { row_ceiling_seconds = std::stoi(v); }},
      {"workers", [&](const std::string& v) { workers = std::stoi(v); }},
      {"max-in-flight", [&](const std::string& v) { max_in_flight = std::stoi(v); }},
      {"wrk-seconds", [&](const std::string& v) { wrk_seconds = std::stoi(v); }},
      {"wrk-connections", [&](const std::string& v) { wrk_connections = std::stoi(v); }},
      {"idle-seconds", [&](const std::string& v) { idle_seconds = std::stoi(v); }},
      {"waiting-runs", [&](const std::string& v) { waiting_runs = std::stoll(v); }},
      {"completed-runs", [&](const std::string& v) { completed_runs = std::stoll(v); }},
      {"memory-seconds", [&](const std::string& v) { memory_seconds = std::stoi(v); }},
      {"processes", [&](const std::string& v) { processes = IntList(v); }},
      {"scale-concurrency", [&](const std::string& v) { scale_concurrency = std::stoi(v); }},
      {"listing-rows", [&](const std::string& v) { listing_rows = std::stoll(v); }},
      {"listing-requests", [&](const std::string& v) { listing_requests = std::stoi(v); }},
      {"perf", [&](const std::string& v) { perf_output = v; }},
  };
  // --quick first, so explicit sizes given with it win.
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--quick") Quick();
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quick") continue;
    if (arg == "--no-default-row") {
      default_row = false;
      continue;
    }
    if (arg.rfind("--", 0) != 0) return "unexpected argument '" + arg + "'";
    std::string name = arg.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return "--" + name + " needs a value";
    }
    auto setter = with_value.find(name);
    if (setter == with_value.end()) return "unknown option --" + name;
    try {
      setter->second(value);
    } catch (const std::exception&) {
      return "--" + name + ": bad value '" + value + "'";
    }
  }
  if (sagaflow.empty() || workflows.empty() || work_dir.empty() || pg.host.empty()) {
    return "--sagaflow, --workflows, --work-dir and --pg-host are required";
  }
  // Ratios need the ceiling; commits per transition are read around scenario 2.
  if (scenarios.count(4)) scenarios.insert(2);
  if (scenarios.count(2) || scenarios.count(3) || scenarios.count(8) || scenarios.count(10)) {
    scenarios.insert(1);
  }
  return std::nullopt;
}

void Options::Quick() {
  runs = 300;
  max_seconds = 5;
  ceiling_seconds = 2;
  row_ceiling_seconds = 1;
  ceiling_clients = {1, 8, 16, 32, 64};
  wrk_seconds = 3;
  idle_seconds = 5;
  waiting_runs = 500;
  completed_runs = 2000;
  memory_seconds = 20;
  listing_rows = 50000;
  listing_requests = 30;
}

}  // namespace bench
