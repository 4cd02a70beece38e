// `sagaflow serve` — runs the engine until SIGTERM or SIGINT, then stops
// gracefully: no new claims, steps in flight finish, leases handed back.
#include <csignal>
#include <iostream>

#include "engine/cli/commands.hpp"
#include "engine/engine.hpp"
#include "engine/migrations.hpp"
#include "steps/connections.hpp"

namespace sagaflow::cli {

int Serve(const std::vector<std::string>& args) {
  Config config;
  if (auto error = config.Load(args)) {
    std::cerr << "sagaflow serve: " << *error << "\n";
    return 2;
  }
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // A bad connections file stops us here rather than at the first step.
  if (auto problem = steps::LoadConnectionsFromEnvironment()) {
    std::cerr << "sagaflow serve: connections: " << *problem << "\n";
    return 1;
  }
  Engine engine(config);
  try {
    engine.Start();
  } catch (const std::exception& error) {
    std::cerr << "sagaflow serve: " << error.what() << "\n";
    return 1;
  }
  const std::string host = config.listen.substr(0, config.listen.rfind(':'));
  std::cerr << "sagaflow: serving " << engine.catalog().LatestAll().size() << " workflow(s) as "
            << config.owner << "\n"
            << "sagaflow: listening on http://" << host << ":" << engine.http_port() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "sagaflow: stopping (signal " << signal << ")\n";
  engine.Stop();
  std::cerr << "sagaflow: stopped\n";
  return 0;
}

int Migrate(const std::vector<std::string>& args) {
  Config config;
  if (auto error = config.Load(args)) {
    std::cerr << "sagaflow migrate: " << *error << "\n";
    return 2;
  }
  try {
    std::unique_ptr<EmbeddedPostgres> embedded;
    std::string url;
    if (config.database_url) {
      url = *config.database_url;
    } else {
      embedded = std::make_unique<EmbeddedPostgres>(config.data_dir);
      url = embedded->Start();
    }
    const MigrationReport report = ApplyMigrations(url);
    for (const auto& name : report.applied) std::cout << "applied " << name << "\n";
    std::cout << "schema at version " << report.to_version << "\n";
  } catch (const std::exception& error) {
    std::cerr << "sagaflow migrate: " << error.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace sagaflow::cli
