// Internal to the loader: the state shared by the files that turn YAML nodes
// into the definition model, and small helpers for reading nodes with
// precise errors. Not for use outside engine/loader*.cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/diagnostics.hpp"
#include "engine/step_registry.hpp"

namespace sagaflow::loader {

struct Context {
  const StepRegistry& registry;
  Diagnostics& diagnostics;
  std::vector<std::string> lines;  // the source, to find where quoted strings start

  void Error(const YAML::Node& at, const std::string& path, const std::string& message);
  void Warning(const YAML::Node& at, const std::string& path, const std::string& message);
  // Location of byte `offset` inside the string scalar `node`, accounting for
  // an opening quote; block scalars fall back to the node's own location.
  SourceLocation LocationInside(const YAML::Node& node, size_t offset) const;
};

// A key of a map node together with its value, keeping the key's own mark.
struct Entry {
  YAML::Node key;
  YAML::Node value;
};

// Reports unknown keys of a map; returns its entries, the first of each name
// (duplicates are reported for the whole document by CheckDocument).
// `explain`, when given and not empty for a key, says more than "did you
// mean" about an unknown one (e.g. that it belongs somewhere else).
std::vector<Entry> CheckKeys(
    Context& ctx, const YAML::Node& map, const std::string& path,
    const std::vector<std::string>& allowed,
    const std::function<std::string(const std::string& key)>& explain = nullptr);
// The value of `key` in a map, or an undefined node.
YAML::Node Find(const YAML::Node& map, const std::string& key);
// The key node itself (for its position), or an undefined node.
YAML::Node FindKey(const YAML::Node& map, const std::string& key);

// Whether `map` holds an unknown key that CheckKeys reported as a
// misspelling of `key` (with `allowed` the keys CheckKeys was given).
bool Misspelt(const YAML::Node& map, const std::string& key,
              const std::vector<std::string>& allowed);
// "missing required key 'x'" at `map`, unless a misspelling of it was
// reported already: then it would only say the same thing twice.
void MissingKey(Context& ctx, const YAML::Node& map, const std::string& path,
                const std::string& key, const std::vector<std::string>& allowed);

std::string Describe(const YAML::Node& node);  // "a list", "the string 'x'", ...
std::string JoinPath(const std::string& path, const std::string& key);

bool ExpectMap(Context& ctx, const YAML::Node& node, const std::string& path);
bool ExpectSequence(Context& ctx, const YAML::Node& node, const std::string& path);
std::optional<std::string> ExpectString(Context& ctx, const YAML::Node& node,
                                        const std::string& path);
std::optional<std::chrono::milliseconds> ExpectDuration(Context& ctx, const YAML::Node& node,
                                                        const std::string& path);
// A duration that is longer than zero: a timeout of 0s would fail every attempt.
std::optional<std::chrono::milliseconds> ExpectTimeout(Context& ctx, const YAML::Node& node,
                                                       const std::string& path);

// Compiles a YAML value (e.g. `with:`) into templates, reporting expression
// syntax errors at their exact place.
std::optional<CompiledValue> CompileValue(Context& ctx, const YAML::Node& node,
                                          const std::string& path);
std::optional<Template> CompileTemplate(Context& ctx, const YAML::Node& node,
                                        const std::string& path);

// The node a JSON pointer ("/a/0/b") leads to inside `root`, or `root` itself
// when the pointer cannot be followed.
YAML::Node NodeAtPointer(const YAML::Node& root, const std::string& pointer);
// The same for a list of segments.
YAML::Node NodeAtPath(const YAML::Node& root, const std::vector<std::string>& segments);
// "with" + "/a/0/b" -> "with.a[0].b"
std::string PathWithPointer(const std::string& path, const std::string& pointer);

RetryPolicy ReadRetry(Context& ctx, const YAML::Node& node, const std::string& path,
                      RetryPolicy base);

}  // namespace sagaflow::loader
