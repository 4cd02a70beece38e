#include "bench/driver/waiting.hpp"

#include <thread>

#include "bench/driver/load.hpp"
#include "bench/driver/pg.hpp"

namespace bench {

double StartWaitingRuns(const Context& context, const std::string& database, unsigned short port,
                        long long runs) {
  const auto start = Clock::now();
  LoadSpec load;
  load.ports = {port};
  load.token = context.token;
  load.workflow = "bench_retry";
  load.runs = runs;
  load.concurrency = 16;
  load.max_time = std::chrono::seconds(300);
  load.wait_finish = false;
  RunLoad(load, nullptr);
  PgConnection connection(context.options.pg.Url(database));
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    if (connection.Integer("SELECT count(*) FROM run_steps WHERE status = 'waiting'") >= runs) {
      return std::chrono::duration<double>(Clock::now() - start).count();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return -1;
}

}  // namespace bench
