// Loading workflow definitions: YAML text in, an immutable validated
// WorkflowDefinition out, or every problem found, each with file, line and
// column. The loader is the only code that reads YAML. Loading is a pure
// function of the text and the step registry; call it from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/diagnostics.hpp"
#include "engine/step_registry.hpp"

namespace sagaflow {

struct LoadResult {
  DefinitionPtr definition;  // null when there were errors
  Diagnostics diagnostics;
};

LoadResult LoadDefinition(const std::string& file_name, const std::string& text,
                          const StepRegistry& registry);
LoadResult LoadDefinitionFile(const std::filesystem::path& path, const StepRegistry& registry);

struct FolderLoadResult {
  std::vector<DefinitionPtr> definitions;  // only those that loaded cleanly
  std::vector<Diagnostic> diagnostics;     // of every file, in file order
  bool HasErrors() const;
};

// Loads every *.yaml / *.yml file in `folder` (not recursive), sorted by name.
// Two files declaring the same workflow name and version is an error.
FolderLoadResult LoadDefinitionFolder(const std::filesystem::path& folder,
                                      const StepRegistry& registry);

}  // namespace sagaflow
