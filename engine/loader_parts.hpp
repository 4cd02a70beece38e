// Internal to the loader: the readers of each part of a definition.
#pragma once

#include <optional>

#include "engine/loader_context.hpp"

namespace sagaflow::loader {

// The document as a whole (loader_document.cpp). False, with the error
// reported, when the text is not UTF-8 (JSON values cannot hold it).
bool CheckEncoding(Context& ctx, const std::string& text);
// False, with the error reported, when the text holds a second YAML document
// (yaml-cpp's Load would drop it without a word).
bool CheckSingleDocument(Context& ctx);
// A yaml-cpp parse failure,
// reported where its cause is.
void ReportSyntaxError(Context& ctx, const YAML::Exception& error);
// What yaml-cpp lets through: a quoted string never closed (returns false:
// the rest of the structure cannot be trusted) and duplicate keys.
bool CheckDocument(Context& ctx, const YAML::Node& root);

struct Defaults {
  RetryPolicy retry;
  std::chrono::milliseconds timeout{30'000};
};

Defaults ReadDefaults(Context& ctx, const YAML::Node& node);
std::optional<StepDefinition> ReadStep(Context& ctx, const YAML::Node& node,
                                       const std::string& path, const Defaults& defaults);
// `owner` is the map holding `uses` and `with`, `keys` the keys it may have.
std::optional<Action> ReadAction(Context& ctx, const YAML::Node& uses, const YAML::Node& with,
                                 const std::string& path, const YAML::Node& owner,
                                 const std::vector<std::string>& keys);
std::vector<Trigger> ReadTriggers(Context& ctx, const YAML::Node& node);
// Input schema: compiled with every problem mapped to its line.
std::shared_ptr<const InputSchema> ReadInputSchema(Context& ctx, const YAML::Node& node);

// Checks that every expression reads only what exists when it runs: steps
// that ran earlier, declared inputs, known run fields.
void CheckReferences(Context& ctx, const YAML::Node& root, const WorkflowDefinition& definition);

}  // namespace sagaflow::loader
