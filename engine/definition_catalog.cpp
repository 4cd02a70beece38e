#include "engine/definition_catalog.hpp"

#include "engine/loader.hpp"

namespace sagaflow {

DefinitionCatalog::DefinitionCatalog(Store& store, const StepRegistry& registry)
    : store_(store), registry_(registry) {}

void DefinitionCatalog::Add(DefinitionPtr definition) {
  store_.SaveDefinition(*definition);
  std::lock_guard lock(mutex_);
  versions_[{definition->name, definition->version}] = definition;
  auto& latest = latest_[definition->name];
  if (!latest || latest->version <= definition->version) latest = definition;
}

DefinitionPtr DefinitionCatalog::Latest(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = latest_.find(name);
  return it == latest_.end() ? nullptr : it->second;
}

DefinitionPtr DefinitionCatalog::Get(const std::string& name, int version) {
  {
    std::lock_guard lock(mutex_);
    auto it = versions_.find({name, version});
    if (it != versions_.end()) return it->second;
  }
  auto stored = store_.FindDefinition(name, version);
  if (!stored) return nullptr;
  LoadResult loaded = LoadDefinition(stored->file, stored->source, registry_);
  if (!loaded.definition) return nullptr;
  std::lock_guard lock(mutex_);
  versions_[{name, version}] = loaded.definition;
  return loaded.definition;
}

std::vector<DefinitionPtr> DefinitionCatalog::LatestAll() const {
  std::lock_guard lock(mutex_);
  std::vector<DefinitionPtr> all;
  for (const auto& [_, definition] : latest_) all.push_back(definition);
  return all;
}

}  // namespace sagaflow
