#include "engine/loader_context.hpp"

#include <cmath>

#include "engine/duration.hpp"
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
  SourceLocation start = LocationOf(node);
  if (start.line <= 0 || start.line > static_cast<int>(lines.size())) return start;
  const std::string& line = lines[start.line - 1];
  const size_t column = static_cast<size_t>(start.column - 1);
  if (column >= line.size()) return start;
  const char first = line[column];
  if (first == '|' || first == '>') return start;  // block scalar: text starts below
  const int quote = (first == '"' || first == '\'') ? 1 : 0;
  return {start.line, start.column + quote + static_cast<int>(offset)};
}

YAML::Node Find(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::vector<Entry> CheckKeys(Context& ctx, const YAML::Node& map, const std::string& path,
                             const std::vector<std::string>& allowed) {
  std::vector<Entry> entries;
  if (!map.IsMap()) return entries;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      ctx.Error(key, path, "keys must be plain names");
      continue;
    }
    const std::string name = key.Scalar();
    bool duplicate = false;
    for (const auto& seen : entries) duplicate = duplicate || seen.key.Scalar() == name;
    if (duplicate) {
      ctx.Error(key, JoinPath(path, name), "duplicate key");
      continue;
    }
    entries.push_back({key, it->second});
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      ctx.Error(key, JoinPath(path, name), "unknown key" + DidYouMean(name, allowed));
    }
  }
  return entries;
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
            "bad duration " + (node.IsScalar() ? "'" + node.Scalar() + "'" : Describe(node)) +
                "; write a whole number and a unit: 250ms, 30s, 5m, 1h");
  return std::nullopt;
}

YAML::Node NodeAtPath(const YAML::Node& root, const std::vector<std::string>& segments) {
  YAML::Node node = root;
  for (const auto& segment : segments) {
    YAML::Node next;
    if (node.IsMap()) {
      next = Find(node, segment);
    } else if (node.IsSequence()) {
      char* end = nullptr;
      const long index = std::strtol(segment.c_str(), &end, 10);
      if (*end == '\0' && index >= 0 && static_cast<size_t>(index) < node.size()) {
        next = node[static_cast<size_t>(index)];
      }
    }
    if (!next.IsDefined()) return node;
    node = next;
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
  if (policy.initial_interval > policy.max_interval) {
    ctx.Error(node, path, "initial_interval is longer than max_interval");
  }
  return policy;
}

}  // namespace sagaflow::loader
