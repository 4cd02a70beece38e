// The definitions a process knows: the latest loaded version of each
// workflow (what new runs start on) and every version runs are pinned to,
// fetched from the store on first use so a run started on version 1
// finishes on version 1 after version 2 is loaded.
//
// Thread-safe: readers and Add may run concurrently.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/step_registry.hpp"
#include "engine/store.hpp"

namespace sagaflow {

class DefinitionCatalog {
 public:
  DefinitionCatalog(Store& store, const StepRegistry& registry);

  // Records the definition in the store and makes it the latest version of
  // its workflow when its version is the highest. Throws Conflict when the
  // same version was stored with different content.
  void Add(DefinitionPtr definition);

  DefinitionPtr Latest(const std::string& name) const;
  // The exact version; loaded from the store when not in memory. Null when
  // it exists nowhere or no longer loads.
  DefinitionPtr Get(const std::string& name, int version);
  std::vector<DefinitionPtr> LatestAll() const;

 private:
  Store& store_;
  const StepRegistry& registry_;
  mutable std::mutex mutex_;
  std::map<std::string, DefinitionPtr> latest_;
  std::map<std::pair<std::string, int>, DefinitionPtr> versions_;
};

}  // namespace sagaflow
