// One running sagaflow engine: the database (embedded or given), migrations,
// the store, the loaded definitions, the executor and the cron scheduler,
// started and stopped in the right order, and the HTTP server in front of
// them.
#pragma once

#include <memory>
#include <string>

#include "engine/config.hpp"
#include "engine/cron_scheduler.hpp"
#include "engine/definition_catalog.hpp"
#include "engine/embedded_postgres.hpp"
#include "engine/executor.hpp"
#include "engine/http_server.hpp"
#include "engine/pg_store.hpp"
#include "engine/webhook_config.hpp"

namespace sagaflow {

class Engine {
 public:
  explicit Engine(Config config);
  ~Engine();

  // Starts everything. Throws std::runtime_error with a readable message
  // (definition errors, a database that cannot start, a schema too new).
  void Start();
  void Stop();

  const Config& config() const { return config_; }
  const std::string& database_url() const { return database_url_; }
  PgStore& store() { return *store_; }
  DefinitionCatalog& catalog() { return *catalog_; }
  Executor& executor() { return *executor_; }
  CronScheduler& scheduler() { return *scheduler_; }
  const WebhookConfig& webhooks() const { return webhooks_; }
  // The HTTP port actually bound (SAGAFLOW_LISTEN may ask for port 0).
  unsigned short http_port() const;

 private:
  Config config_;
  std::unique_ptr<EmbeddedPostgres> embedded_;
  std::string database_url_;
  std::unique_ptr<PgStore> store_;
  std::unique_ptr<DefinitionCatalog> catalog_;
  std::unique_ptr<Executor> executor_;
  WebhookConfig webhooks_;
  std::unique_ptr<CronScheduler> scheduler_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace sagaflow
