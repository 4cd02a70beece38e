#include "engine/loader_context.hpp"

#include <algorithm>
#include <cmath>

#include "engine/duration.hpp"
#include "engine/loader_scalar_layout.hpp"
#include "engine/spelling.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow::loader {

void Context::Error(const YAML::Node& at, const std::string& path, const std::string& message) {
  diagnostics.Error(LocationOf(at), path.empty() ? message : path + ": " + message);
}

void Context::Warning(const YAML::Node& at, const std::string& path, const std::string& message) {
  diagnostics.Warning(LocationOf(at), path.empty() ? message : path + ": " + message);
}

SourceLocation Context::LocationInside(const YAML::Node& node, size_t offset) const {
  const SourceLocation start = LocationOf(node);
  if (!node.IsScalar()) return start;
  const auto layout = LayOutScalar(lines, start, node.Scalar());
  if (!layout || layout->at.empty()) return start;
  if (offset < layout->at.size()) return layout->at[offset];
  // Just past the last character, e.g. a cron line that lacks a field.
  return {layout->at.back().line, layout->at.back().column + 1};
}

YAML::Node Find(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::vector<Entry> CheckKeys(Context& ctx, const YAML::Node& map, const std::string& path,
                             const std::vector<std::string>& allowed,
                             const std::function<std::string(const std::string& key)>& explain) {
  std::vector<Entry> entries;
  if (!map.IsMap()) return entries;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      ctx.Error(key, path, "keys must be plain names");
      continue;
    }
    const std::string name = key.Scalar();
    // Duplicates are reported for the whole document by CheckDocument.
    const bool duplicate = std::any_of(entries.begin(), entries.end(), [&](const Entry& seen) {
      return seen.key.Scalar() == name;
    });
    if (duplicate) continue;
    entries.push_back({key, it->second});
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      const std::string more = explain ? explain(name) : std::string();
      ctx.Error(key, JoinPath(path, name),
                "unknown key" + (more.empty() ? DidYouMean(name, allowed) : more));
    }
  }
  return entries;
}

bool Misspelt(const YAML::Node& map, const std::string& key,
              const std::vector<std::string>& allowed) {
  if (!map.IsMap()) return false;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string& name = it->first.Scalar();
    const bool known = std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    if (!known && ClosestMatch(name, allowed) == key) return true;
  }
  return false;
}

void MissingKey(Context& ctx, const YAML::Node& map, const std::string& path,
                const std::string& key, const std::vector<std::string>& allowed) {
  if (!Misspelt(map, key, allowed)) ctx.Error(map, path, "missing required key '" + key + "'");
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Scalar: {
      const Json value = YamlToJson(node);
      if (value.is_string()) return "the string '" + node.Scalar() + "'";
      if (value.is_boolean()) return "the boolean " + node.Scalar();
      if (value.is_null()) return "null";
      return "the number " + node.Scalar();
    }
  }
  return "something else";
}

std::string JoinPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

bool ExpectMap(Context& ctx, const YAML::Node& node, const std::string& path) {
  if (node.IsMap()) return true;
  ctx.Error(node, path, "expected a map, got " + Describe(node));
  return false;
}

bool ExpectSequence(Context& ctx, const YAML::Node& node, const std::string& path) {
  if (node.IsSequence()) return true;
  ctx.Error(node, path, "expected a list, got " + Describe(node));
  return false;
}

std::optional<std::string> ExpectString(Context& ctx, const YAML::Node& node,
                                        const std::string& path) {
  if (node.IsScalar() && YamlToJson(node).is_string()) return node.Scalar();
  ctx.Error(node, path, "expected a string, got " + Describe(node));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> ExpectDuration(Context& ctx, const YAML::Node& node,
                                                        const std::string& path) {
  if (node.IsScalar()) {
    if (auto duration = ParseDuration(node.Scalar())) return duration;
  }
  ctx.Error(node, path,
            node.IsScalar() ? "bad duration '" + node.Scalar() +
                                  "'; write a whole number and a unit: 250ms, 30s, 5m, 1h"
                            : "expected a duration such as 30s, got " + Describe(node));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> ExpectTimeout(Context& ctx, const YAML::Node& node,
                                                       const std::string& path) {
  auto duration = ExpectDuration(ctx, node, path);
  if (duration && duration->count() == 0) {
    ctx.Error(node, path, "a timeout must be longer than 0");
    return std::nullopt;
  }
  return duration;
}

YAML::Node FindKey(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->first;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node NodeAtPath(const YAML::Node& root, const std::vector<std::string>& segments) {
  // Walk with const nodes and reset(): assigning one YAML::Node to another
  // writes through to the tree it came from.
  YAML::Node node = root;
  for (const auto& segment : segments) {
    YAML::Node next(YAML::NodeType::Undefined);
    if (node.IsMap()) {
      next.reset(Find(node, segment));
    } else if (node.IsSequence()) {
      char* end = nullptr;
      const long index = std::strtol(segment.c_str(), &end, 10);
      if (*end == '\0' && index >= 0 && static_cast<size_t>(index) < node.size()) {
        const YAML::Node& sequence = node;
        next.reset(sequence[static_cast<size_t>(index)]);
      }
    }
    if (!next.IsDefined()) return node;
    node.reset(next);
  }
  return node;
}

namespace {
std::vector<std::string> PointerSegments(const std::string& pointer) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    size_t slash = pointer.find('/', start);
    if (slash == std::string::npos) slash = pointer.size();
    std::string segment = pointer.substr(start, slash - start);
    for (size_t i = 0; (i = segment.find('~', i)) != std::string::npos; ++i) {
      segment.replace(i, 2, segment.compare(i, 2, "~1") == 0 ? "/" : "~");
    }
    segments.push_back(segment);
    start = slash + 1;
  }
  return segments;
}
}  // namespace

YAML::Node NodeAtPointer(const YAML::Node& root, const std::string& pointer) {
  return NodeAtPath(root, PointerSegments(pointer));
}

std::string PathWithPointer(const std::string& path, const std::string& pointer) {
  std::string result = path;
  for (const auto& segment : PointerSegments(pointer)) {
    const bool index =
        !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos;
    result += index ? "[" + segment + "]" : "." + segment;
  }
  return result;
}

std::optional<CompiledValue> CompileValue(Context& ctx, const YAML::Node& node,
                                          const std::string& path) {
  auto compiled = CompiledValue::compile(YamlToJson(node));
  if (compiled) return std::move(compiled).value();
  for (const auto& error : compiled.errors()) {
    const YAML::Node at = NodeAtPointer(node, error.pointer);
    ctx.diagnostics.Error(ctx.LocationInside(at, error.offset),
                          PathWithPointer(path, error.pointer) + ": " + error.message);
  }
  return std::nullopt;
}

std::optional<Template> CompileTemplate(Context& ctx, const YAML::Node& node,
                                        const std::string& path) {
  auto text = ExpectString(ctx, node, path);
  if (!text) return std::nullopt;
  auto compiled = Template::parse(*text);
  if (compiled) return std::move(compiled).value();
  for (const auto& error : compiled.errors()) {
    ctx.diagnostics.Error(ctx.LocationInside(node, error.offset), path + ": " + error.message);
  }
  return std::nullopt;
}

RetryPolicy ReadRetry(Context& ctx, const YAML::Node& node, const std::string& path,
                      RetryPolicy policy) {
  if (!ExpectMap(ctx, node, path)) return policy;
  const auto entries =
      CheckKeys(ctx, node, path,
                {"max_attempts", "initial_interval", "max_interval", "multiplier", "jitter"});
  for (const auto& [key, value] : entries) {
    const std::string name = key.Scalar();
    const std::string where = JoinPath(path, name);
    const Json number = YamlToJson(value);
    if (name == "max_attempts") {
      if (number.is_number_integer() && number.get<long long>() >= 1 &&
          number.get<long long>() <= 1000) {
        policy.max_attempts = number.get<int>();
      } else {
        ctx.Error(value, where, "expected an integer from 1 to 1000, got " + Describe(value));
      }
    } else if (name == "initial_interval" || name == "max_interval") {
      if (auto duration = ExpectDuration(ctx, value, where)) {
        (name == "initial_interval" ? policy.initial_interval : policy.max_interval) = *duration;
      }
    } else if (name == "multiplier") {
      if (number.is_number() && number.get<double>() >= 1.0 && number.get<double>() <= 100.0) {
        policy.multiplier = number.get<double>();
      } else {
        ctx.Error(value, where, "expected a number from 1 to 100, got " + Describe(value));
      }
    } else if (name == "jitter") {
      if (number.is_number() && number.get<double>() >= 0.0 && number.get<double>() <= 1.0) {
        policy.jitter = number.get<double>();
      } else {
        ctx.Error(value, where, "expected a number from 0 to 1, got " + Describe(value));
      }
    }
  }
  // Either value may be inherited from the defaults: name both, and point at
  // the one written here. A map that sets neither inherits a problem that
  // was reported where it was written.
  const YAML::Node initial = Find(node, "initial_interval");
  const YAML::Node max = Find(node, "max_interval");
  if (policy.initial_interval > policy.max_interval && (initial.IsDefined() || max.IsDefined())) {
    ctx.Error(initial.IsDefined() ? initial : max,
              JoinPath(path, initial.IsDefined() ? "initial_interval" : "max_interval"),
              "initial_interval " + FormatDuration(policy.initial_interval) +
                  " is longer than max_interval " + FormatDuration(policy.max_interval));
  }
  return policy;
}

}  // namespace sagaflow::loader
