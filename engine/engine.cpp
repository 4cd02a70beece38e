#include "engine/engine.hpp"

#include <iostream>

#include "engine/api.hpp"
#include "engine/errors.hpp"
#include "engine/loader.hpp"
#include "engine/migrations.hpp"
#include "engine/webhook_intake.hpp"
#include "steps/builtin_steps.hpp"

namespace sagaflow {

Engine::Engine(Config config) : config_(std::move(config)) {}

Engine::~Engine() {
  Stop();
}

void Engine::Start() {
  // Definitions first: a bad file should stop us before anything starts.
  FolderLoadResult loaded = LoadDefinitionFolder(config_.workflows_dir, BuiltinStepRegistry());
  std::string problems;
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == Severity::kError) problems += d.ToText() + "\n";
  }
  if (loaded.HasErrors())
    throw std::runtime_error("workflow definitions have errors:\n" + problems);
  // Webhook settings next: a bad sources file should stop us early too.
  webhooks_ = WebhookConfig::FromConfig(config_);
  for (const auto& warning : UnconfiguredWebhookSources(loaded.definitions, webhooks_)) {
    std::cerr << "sagaflow: warning: " << warning << "\n";
  }
  const ScheduleClock schedule_clock = ScheduleClock::FromConfig(config_);
  if (schedule_clock.scaled()) {
    std::cerr << "sagaflow: warning: schedules run on a TEST clock (SAGAFLOW_TEST_CLOCK_*)\n";
  }

  if (config_.database_url) {
    database_url_ = *config_.database_url;
  } else {
    embedded_ = std::make_unique<EmbeddedPostgres>(config_.data_dir);
    database_url_ = embedded_->Start();
  }
  MigrationReport report = ApplyMigrations(database_url_);
  for (const auto& name : report.applied)
    std::cerr << "sagaflow: applied migration " << name << "\n";

  store_ = std::make_unique<PgStore>(database_url_, config_.workers + 4);
  catalog_ = std::make_unique<DefinitionCatalog>(*store_, BuiltinStepRegistry());
  for (const auto& definition : loaded.definitions) {
    try {
      catalog_->Add(definition);
    } catch (const Conflict& error) {
      throw std::runtime_error(definition->file + ": " + error.what());
    }
  }
  RunEnvironment environment;
  environment.env = config_.EnvForExpressions();
  environment.secrets = config_.SecretsForExpressions();
  ExecutorOptions options;
  options.owner = config_.owner;
  options.workers = config_.workers;
  options.max_in_flight = config_.max_in_flight;
  options.lease = config_.lease;
  executor_ = std::make_unique<Executor>(*store_, *catalog_, environment, options, database_url_);
  executor_->Start();
  // Schedules after the executor, so the first tick's run finds workers.
  scheduler_ = std::make_unique<CronScheduler>(*store_, *catalog_, environment.env, schedule_clock);
  scheduler_->Start();

  TokenAuth auth;
  if (auto error = TokenAuth::Parse(config_.tokens, auth)) {
    throw std::runtime_error("SAGAFLOW_TOKENS: " + *error);
  }
  router_ = std::make_unique<Router>(BuildRouter(*this, std::move(auth)));
  HttpServerOptions http;
  http.listen = config_.listen;
  http.max_body_bytes = config_.max_body_bytes;
  http_ = std::make_unique<HttpServer>(*router_, http);
  http_->Start();
}

unsigned short Engine::http_port() const {
  return http_ ? http_->port() : 0;
}

void Engine::Stop() {
  // Requests in flight finish first, then the scheduler, then steps in flight.
  if (http_) http_->Stop(config_.shutdown_grace);
  http_.reset();
  router_.reset();
  if (scheduler_) scheduler_->Stop();
  scheduler_.reset();
  if (executor_) executor_->Stop(config_.shutdown_grace);
  executor_.reset();
  catalog_.reset();
  store_.reset();
  if (embedded_) embedded_->Stop();
  embedded_.reset();
}

}  // namespace sagaflow
