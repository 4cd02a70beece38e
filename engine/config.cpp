#include "engine/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "engine/duration.hpp"
#include "engine/ids.hpp"
#include "engine/text.hpp"

namespace sagaflow {
namespace {}  // namespace

std::optional<std::string> Config::Load(const std::vector<std::string>& args) {
  struct Setting {
    const char* flag;
    const char* env;
    std::function<std::optional<std::string>(const std::string&)> set;
  };
  auto text = [](std::string& field) {
    return [&field](const std::string& v) -> std::optional<std::string> {
      field = v;
      return std::nullopt;
    };
  };
  auto integer = [](int& field) {
    return [&field](const std::string& v) -> std::optional<std::string> {
      try {
        field = std::stoi(v);
        if (field > 0) return std::nullopt;
      } catch (...) {
      }
      return "expected a positive integer, got '" + v + "'";
    };
  };
  auto duration = [](std::chrono::milliseconds& field) {
    return [&field](const std::string& v) -> std::optional<std::string> {
      auto parsed = ParseDuration(v);
      if (!parsed) return "expected a duration like 30s, got '" + v + "'";
      field = *parsed;
      return std::nullopt;
    };
  };
  // Numbers as written: "2.5" but not "2.5x"; nullopt otherwise.
  auto parse_number = [](const std::string& v) -> std::optional<double> {
    try {
      size_t used = 0;
      const double value = std::stod(v, &used);
      if (used == v.size() && std::isfinite(value)) return value;
    } catch (...) {
    }
    return std::nullopt;
  };
  auto number = [&parse_number](double& field) {
    return [&field, parse_number](const std::string& v) -> std::optional<std::string> {
      const auto value = parse_number(v);
      if (!value || *value < 0) return "expected a number of 0 or more, got '" + v + "'";
      field = *value;
      return std::nullopt;
    };
  };
  auto optional_number = [&parse_number](std::optional<double>& field) {
    return [&field, parse_number](const std::string& v) -> std::optional<std::string> {
      const auto value = parse_number(v);
      if (!value) return "expected a number, got '" + v + "'";
      field = *value;
      return std::nullopt;
    };
  };
  std::string database;
  std::string allowlist;
  std::string body_limit;
  const std::vector<Setting> settings = {
      {"database-url", "DATABASE_URL", text(database)},
      {"data-dir", "SAGAFLOW_DATA_DIR", text(data_dir)},
      {"listen", "SAGAFLOW_LISTEN", text(listen)},
      {"workflows", "SAGAFLOW_WORKFLOWS", text(workflows_dir)},
      {"tokens", "SAGAFLOW_TOKENS", text(tokens)},
      {"stripe-webhook-secrets", "SAGAFLOW_STRIPE_WEBHOOK_SECRETS", text(stripe_webhook_secrets)},
      {"workers", "SAGAFLOW_WORKERS", integer(workers)},
      {"max-in-flight", "SAGAFLOW_MAX_IN_FLIGHT", integer(max_in_flight)},
      {"lease", "SAGAFLOW_LEASE", duration(lease)},
      {"shutdown-grace", "SAGAFLOW_SHUTDOWN_GRACE", duration(shutdown_grace)},
      {"env-allowlist", "SAGAFLOW_ENV_ALLOWLIST", text(allowlist)},
      {"secrets-file", "SAGAFLOW_SECRETS_FILE", text(secrets_file)},
      {"owner", "SAGAFLOW_OWNER", text(owner)},
      {"max-body-bytes", "SAGAFLOW_MAX_BODY_BYTES", text(body_limit)},
      {"stripe-webhook-tolerance", "SAGAFLOW_STRIPE_WEBHOOK_TOLERANCE",
       duration(stripe_webhook_tolerance)},
      {"webhook-sources-file", "SAGAFLOW_WEBHOOK_SOURCES_FILE", text(webhook_sources_file)},
      {"webhook-rate-limit", "SAGAFLOW_WEBHOOK_RATE_LIMIT", number(webhook_rate_limit)},
      {"webhook-rate-burst", "SAGAFLOW_WEBHOOK_RATE_BURST", number(webhook_rate_burst)},
      {"start-rate-limit", "SAGAFLOW_START_RATE_LIMIT", number(start_rate_limit)},
      {"start-rate-burst", "SAGAFLOW_START_RATE_BURST", number(start_rate_burst)},
      {"test-clock-epoch", "SAGAFLOW_TEST_CLOCK_EPOCH", optional_number(test_clock_epoch)},
      {"test-clock-origin", "SAGAFLOW_TEST_CLOCK_ORIGIN", optional_number(test_clock_origin)},
      {"test-clock-speed", "SAGAFLOW_TEST_CLOCK_SPEED", number(test_clock_speed)},
  };
  // A config file holds NAME=value lines with the environment variables'
  // names; the environment and then flags override it.
  std::string config_file;
  if (const char* file = std::getenv("SAGAFLOW_CONFIG")) config_file = file;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--config") config_file = args[i + 1];
  }
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in) return "cannot read the config file " + config_file;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      line.erase(0, line.find_first_not_of(" \t"));
      if (line.empty() || line[0] == '#') continue;
      const size_t eq = line.find('=');
      const std::string name = line.substr(0, eq);
      auto setting = std::find_if(settings.begin(), settings.end(),
                                  [&](const Setting& s) { return name == s.env; });
      if (eq == std::string::npos || setting == settings.end()) {
        return config_file + ":" + std::to_string(number) + ": expected NAME=value with a known " +
               "setting name such as SAGAFLOW_LISTEN";
      }
      if (auto error = setting->set(line.substr(eq + 1))) {
        return config_file + ":" + std::to_string(number) + ": " + name + ": " + *error;
      }
    }
  }
  for (const auto& setting : settings) {
    if (const char* value = std::getenv(setting.env); value && *value) {
      if (auto error = setting.set(value)) return std::string(setting.env) + ": " + *error;
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.rfind("--", 0) != 0) return "unexpected argument '" + arg + "'";
    std::string name = arg.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "--" + name + " needs a value";
    }
    if (name == "config") continue;  // read above
    bool known = false;
    for (const auto& setting : settings) {
      if (name != setting.flag) continue;
      known = true;
      if (auto error = setting.set(value)) return "--" + name + ": " + *error;
    }
    if (!known) return "unknown option --" + name;
  }
  if (!database.empty()) database_url = database;
  env_allowlist = SplitComma(allowlist);
  if (!body_limit.empty()) max_body_bytes = std::stoul(body_limit);
  if (owner.empty()) {
    char host[256] = "host";
    gethostname(host, sizeof host - 1);
    owner = std::string(host) + ":" + std::to_string(getpid()) + ":" + NewUuid().substr(0, 8);
  }
  return std::nullopt;
}

Json Config::EnvForExpressions() const {
  Json env = Json::object();
  for (const auto& name : env_allowlist) {
    if (const char* value = std::getenv(name.c_str())) env[name] = value;
  }
  return env;
}

Json Config::SecretsForExpressions() const {
  if (secrets_file.empty()) return Json::object();
  std::ifstream file(secrets_file);
  if (!file) throw std::runtime_error("cannot read the secrets file " + secrets_file);
  Json secrets = Json::parse(file, nullptr, false);
  if (!secrets.is_object()) {
    throw std::runtime_error("the secrets file " + secrets_file + " is not a JSON object");
  }
  return secrets;
}

}  // namespace sagaflow
