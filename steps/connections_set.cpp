// The connection set, its token caches and the process-wide instance; the
// settings of one connection are built in connections.cpp.
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "steps/connections.hpp"

namespace sagaflow::steps {

using SteadyClock = std::chrono::steady_clock;

std::optional<AccessToken> TokenCache::Current() const {
  std::lock_guard lock(mutex_);
  if (!token_ || SteadyClock::now() >= token_->expires_at) return std::nullopt;
  return token_;
}

void TokenCache::Store(AccessToken token) {
  std::lock_guard lock(mutex_);
  token_ = std::move(token);
}

void TokenCache::Invalidate(const std::string& value) {
  std::lock_guard lock(mutex_);
  if (token_ && token_->value == value) token_.reset();
}

long long TokenCache::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

void TokenCache::CountFetch() {
  std::lock_guard lock(mutex_);
  fetches_++;
}

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

std::shared_ptr<ConnectionSet> ConnectionSet::Load(const EnvLookup& env) {
  const auto path = env("SAGAFLOW_CONNECTIONS_FILE");
  if (!path || path->empty()) return FromJson(nullptr, env);
  std::ifstream file(*path);
  if (!file) throw std::runtime_error("SAGAFLOW_CONNECTIONS_FILE: cannot read " + *path);
  const Json document = Json::parse(file, nullptr, false);
  if (document.is_discarded()) throw std::runtime_error(*path + ": not valid JSON");
  try {
    return FromJson(document, env);
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(*path + ": " + error.what());
  }
}

std::shared_ptr<ConnectionSet> ConnectionSet::FromJson(const Json& document, const EnvLookup& env) {
  std::shared_ptr<ConnectionSet> set(new ConnectionSet(env));
  if (document.is_null()) return set;
  if (!document.is_object()) throw std::runtime_error("expected a JSON object");
  const Json& entries = document.contains("connections") ? document["connections"] : document;
  if (!entries.is_object()) throw std::runtime_error("'connections' must be an object");
  set->file_entries_ = entries;
  // Build every entry now so a mistake shows at start-up, not at a step.
  for (const auto& [name, entry] : entries.items()) {
    set->connections_[name] =
        std::make_shared<Connection>(BuildConnectionConfig(name, entry, set->env_));
  }
  return set;
}

std::shared_ptr<Connection> ConnectionSet::Find(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = connections_.find(name); it != connections_.end()) return it->second;
  const bool family = VendorFromName(name).has_value() && name != "generic";
  const auto url = env_(EnvPrefix(name) + "URL");
  if (!family && !(url && !url->empty())) return nullptr;
  auto connection = std::make_shared<Connection>(BuildConnectionConfig(name, nullptr, env_));
  connections_[name] = connection;
  return connection;
}

std::vector<std::string> ConnectionSet::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, connection] : connections_) names.push_back(name);
  return names;
}

namespace {

struct GlobalConnections {
  std::mutex mutex;
  bool loaded = false;
  std::shared_ptr<ConnectionSet> set;
  std::string error;
};

GlobalConnections& Global() {
  static GlobalConnections* global = new GlobalConnections;
  return *global;
}

}  // namespace

std::shared_ptr<ConnectionSet> Connections(std::string* error) {
  GlobalConnections& global = Global();
  std::lock_guard lock(global.mutex);
  if (!global.loaded) {
    global.loaded = true;
    try {
      global.set = ConnectionSet::Load(ProcessEnvironment());
    } catch (const std::exception& e) {
      global.error = e.what();
    }
  }
  if (!global.set && error) *error = global.error;
  return global.set;
}

std::optional<std::string> LoadConnectionsFromEnvironment() {
  try {
    InstallConnections(ConnectionSet::Load(ProcessEnvironment()));
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

void InstallConnections(std::shared_ptr<ConnectionSet> connections) {
  GlobalConnections& global = Global();
  std::lock_guard lock(global.mutex);
  global.loaded = true;
  global.set = std::move(connections);
  global.error.clear();
}

}  // namespace sagaflow::steps
