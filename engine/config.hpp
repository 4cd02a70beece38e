// Process configuration: environment variables (DESIGN.md's table) overridden
// by command-line flags. Read once at start-up; a plain value afterwards.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow {

struct Config {
  std::optional<std::string> database_url;  // none: the embedded server
  std::string data_dir = ".sagaflow";
  std::string listen = "127.0.0.1:8080";
  std::string workflows_dir = "workflows";
  std::string tokens;                  // name:scope:token,...
  std::string stripe_webhook_secrets;  // whsec_...,...
  int workers = 8;
  int max_in_flight = 64;
  std::chrono::milliseconds lease{30'000};
  std::chrono::milliseconds shutdown_grace{10'000};
  size_t max_body_bytes = 1 << 20;
  // Environment variables that expressions may read as env.NAME.
  std::vector<std::string> env_allowlist;
  // A JSON file of secrets that expressions read as secrets.NAME.
  std::string secrets_file;
  std::string owner;  // lease owner id; default host:pid:random

  // Webhooks and rate limits (engine/api_webhooks.cpp, engine/rate_limit.hpp).
  // How old a Stripe signature's timestamp may be; 0 turns the check off.
  std::chrono::milliseconds stripe_webhook_tolerance{300'000};
  // A JSON file describing the generic webhook sources (engine/webhook_config.hpp).
  std::string webhook_sources_file;
  // Token buckets: requests per second and bucket size; a rate of 0 turns
  // the limit off. Webhooks are limited per client address (unauthenticated
  // until the signature is checked, so tighter); run starts
  // (POST /v1/workflows/{name}/runs) per token, against runaway clients.
  double webhook_rate_limit = 100;
  double webhook_rate_burst = 200;
  double start_rate_limit = 1000;
  double start_rate_burst = 2000;

  // TEST ONLY: schedules read a virtual clock that shows
  // test_clock_epoch (unix seconds) at the real instant test_clock_origin
  // (unix seconds; unset: the same as the epoch) and runs test_clock_speed
  // times as fast as real time, so several processes agree on it. Set by
  // SAGAFLOW_TEST_CLOCK_EPOCH / _ORIGIN / _SPEED; nothing else uses it.
  std::optional<double> test_clock_epoch;
  std::optional<double> test_clock_origin;
  double test_clock_speed = 1;

  // Reads the config file (--config FILE or SAGAFLOW_CONFIG: NAME=value lines
  // using the variable names), then SAGAFLOW_* variables, then
  // `--name value` / `--name=value` flags, each overriding the one before.
  // Unknown flags are errors; returns the message, or nullopt on success.
  std::optional<std::string> Load(const std::vector<std::string>& args);

  // The env and secrets that expressions see.
  Json EnvForExpressions() const;
  Json SecretsForExpressions() const;  // throws std::runtime_error on a bad file
};

}  // namespace sagaflow
