// Internal to the loader: the readers of each part of a definition.
#pragma once

#include <optional>

#include "engine/loader_context.hpp"

namespace sagaflow::loader {

struct Defaults {
  RetryPolicy retry;
  std::chrono::milliseconds timeout{30'000};
};

Defaults ReadDefaults(Context& ctx, const YAML::Node& node);
std::optional<StepDefinition> ReadStep(Context& ctx, const YAML::Node& node,
                                       const std::string& path, const Defaults& defaults);
std::optional<Action> ReadAction(Context& ctx, const YAML::Node& uses, const YAML::Node& with,
                                 const std::string& path, const YAML::Node& owner);
std::vector<Trigger> ReadTriggers(Context& ctx, const YAML::Node& node);
// Input schema: compiled with every problem mapped to its line.
std::shared_ptr<const InputSchema> ReadInputSchema(Context& ctx, const YAML::Node& node);

// Checks that every expression reads only what exists when it runs: steps
// that ran earlier, declared inputs, known run fields.
void CheckReferences(Context& ctx, const YAML::Node& root, const WorkflowDefinition& definition);

}  // namespace sagaflow::loader
