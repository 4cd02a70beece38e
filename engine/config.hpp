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

  // Reads SAGAFLOW_* variables, then `--name value` / `--name=value` flags.
  // Unknown flags are errors; returns the message, or nullopt on success.
  std::optional<std::string> Load(const std::vector<std::string>& args);

  // The env and secrets that expressions see.
  Json EnvForExpressions() const;
  Json SecretsForExpressions() const;  // throws std::runtime_error on a bad file
};

}  // namespace sagaflow
