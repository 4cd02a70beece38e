// Converts yaml-cpp nodes into JSON values with YAML 1.2 core-schema typing:
// plain scalars become null, booleans, integers or floats when they read as
// such; quoted scalars always stay strings. Only the definition loader uses it.
#pragma once

#include <yaml-cpp/yaml.h>

#include "engine/diagnostics.hpp"
#include "engine/json.hpp"

namespace sagaflow {

Json YamlToJson(const YAML::Node& node);

// The 1-based location yaml-cpp recorded for a node.
SourceLocation LocationOf(const YAML::Node& node);

// True for a scalar written with quotes (or as a block scalar): its text is
// exactly what the author typed, never a number or boolean.
bool IsQuotedScalar(const YAML::Node& node);

}  // namespace sagaflow
