// sagaflow-bench: measures sagaflow against the durable-write ceiling of the
// PostgreSQL it runs on, and prints Markdown. Started by bench/run, which
// builds the release binaries and starts the private PostgreSQL.
#include <csignal>
#include <iostream>

#include "bench/driver/context.hpp"
#include "bench/driver/cpu.hpp"
#include "bench/driver/pg.hpp"
#include "bench/driver/scenarios.hpp"
#include "bench/driver/table.hpp"

int main(int argc, char** argv) {
  using namespace bench;
  std::signal(SIGPIPE, SIG_IGN);
  Context context;
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << Usage();
    return 0;
  }
  if (auto error = context.options.Parse(argc, argv)) {
    std::cerr << "sagaflow-bench: " << *error << "\n\n" << Usage();
    return 2;
  }
  const std::vector<std::pair<int, void (*)(Context&)>> scenarios = {
      {1, RunCeiling}, {2, RunThroughput}, {3, RunSaga},    {5, RunStartEndpoint}, {6, RunIdle},
      {7, RunMemory},  {8, RunScaleOut},   {9, RunListing}, {10, RunOutsideState},
  };
  try {
    {
      PgConnection admin(context.options.pg.Url("postgres"));
      context.postmaster = ParentOf(std::stoi(admin.Scalar("SELECT pg_backend_pid()")));
    }
    PrintMachine(context);
    for (const auto& [number, run] : scenarios) {
      if (context.options.scenarios.count(number)) run(context);
    }
  } catch (const std::exception& error) {
    std::cerr << "sagaflow-bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
