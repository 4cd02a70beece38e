// Definition loading: the top level of a workflow file, its defaults,
// triggers and input schema. Steps live in loader_steps.cpp, reference
// checks in loader_references.cpp.
#include "engine/loader.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "engine/hash.hpp"
#include "engine/loader_context.hpp"
#include "engine/loader_parts.hpp"
#include "engine/spelling.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow {
namespace loader {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

const std::vector<std::string> kTopKeys = {"name",     "version",  "description", "input",
                                           "triggers", "defaults", "steps",       "output"};

void ReadHeader(Context& ctx, const YAML::Node& root, WorkflowDefinition& definition) {
  static const std::regex kNamePattern("^[a-z0-9_]+$");
  const YAML::Node name = Find(root, "name");
  if (!name.IsDefined()) {
    MissingKey(ctx, root, "", "name", kTopKeys);
  } else if (auto text = ExpectString(ctx, name, "name")) {
    definition.name = *text;
    if (!std::regex_match(*text, kNamePattern)) {
      ctx.Error(name, "name", "'" + *text + "' must match [a-z0-9_]+");
    }
  }
  const YAML::Node version = Find(root, "version");
  if (!version.IsDefined()) {
    MissingKey(ctx, root, "", "version", kTopKeys);
  } else {
    const Json value = YamlToJson(version);
    if (value.is_number_integer() && value.get<long long>() >= 1 &&
        value.get<long long>() <= 1'000'000) {
      definition.version = value.get<int>();
    } else if (value.is_number_integer() && value.get<long long>() > 1'000'000) {
      ctx.Error(version, "version", "must be at most 1000000, got " + version.Scalar());
    } else {
      ctx.Error(version, "version", "must be a positive integer, got " + Describe(version));
    }
  }
  if (const YAML::Node d = Find(root, "description"); d.IsDefined()) {
    if (auto text = ExpectString(ctx, d, "description")) definition.description = *text;
  }
}

void ReadSteps(Context& ctx, const YAML::Node& root, const Defaults& defaults,
               WorkflowDefinition& definition) {
  const YAML::Node steps = Find(root, "steps");
  if (!steps.IsDefined()) {
    MissingKey(ctx, root, "", "steps", kTopKeys);
    return;
  }
  if (!ExpectSequence(ctx, steps, "steps")) return;
  if (steps.size() == 0) ctx.Error(steps, "steps", "a workflow needs at least one step");
  // Ids are compared as written, so a step that fails to load for another
  // reason still has its duplicate reported.
  std::map<std::string, SourceLocation> seen;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string path = "steps[" + std::to_string(i) + "]";
    auto step = ReadStep(ctx, steps[i], path, defaults);
    const YAML::Node id = Find(steps[i], "id");
    if (id.IsScalar() && YamlToJson(id).is_string()) {
      auto [it, inserted] = seen.emplace(id.Scalar(), LocationOf(id));
      if (!inserted) {
        ctx.Error(id, path + ".id",
                  "duplicate step id '" + id.Scalar() + "' (first defined on line " +
                      std::to_string(it->second.line) + ")");
        continue;
      }
    }
    if (step) definition.steps.push_back(std::move(*step));
  }
}

}  // namespace

Defaults ReadDefaults(Context& ctx, const YAML::Node& node) {
  Defaults defaults;
  if (!node.IsDefined() || !ExpectMap(ctx, node, "defaults")) return defaults;
  CheckKeys(ctx, node, "defaults", {"retry", "timeout"});
  if (const YAML::Node retry = Find(node, "retry"); retry.IsDefined()) {
    defaults.retry = ReadRetry(ctx, retry, "defaults.retry", defaults.retry);
  }
  if (const YAML::Node timeout = Find(node, "timeout"); timeout.IsDefined()) {
    if (auto duration = ExpectTimeout(ctx, timeout, "defaults.timeout")) {
      defaults.timeout = *duration;
    }
  }
  return defaults;
}

std::shared_ptr<const InputSchema> ReadInputSchema(Context& ctx, const YAML::Node& node) {
  if (!node.IsDefined()) return std::make_shared<InputSchema>();
  if (!ExpectMap(ctx, node, "input")) return std::make_shared<InputSchema>();
  auto compiled = InputSchema::compile(YamlToJson(node), Dialect::InputSubset);
  for (const auto& problem : compiled.problems) {
    std::string path = "input";
    for (const auto& segment : problem.path) {
      const bool index = segment.find_first_not_of("0123456789") == std::string::npos;
      path += index ? "[" + segment + "]" : "." + segment;
    }
    // A problem with a keyword itself (unknown, unsupported) points at the
    // key; any other at the value.
    YAML::Node at = NodeAtPath(node, problem.path);
    const bool about_key = problem.message.rfind("unknown keyword", 0) == 0 ||
                           problem.message.rfind("keyword '", 0) == 0;
    if (about_key && !problem.path.empty()) {
      const std::vector<std::string> parent(problem.path.begin(), problem.path.end() - 1);
      const YAML::Node key = FindKey(NodeAtPath(node, parent), problem.path.back());
      if (key.IsDefined()) at.reset(key);
    }
    ctx.Error(at, path, problem.message);
  }
  return std::make_shared<InputSchema>(compiled.schema);
}

}  // namespace loader

using loader::Context;
using loader::Find;

LoadResult LoadDefinition(const std::string& file_name, const std::string& text,
                          const StepRegistry& registry) {
  LoadResult result{nullptr, Diagnostics(file_name)};
  Context ctx{registry, result.diagnostics, loader::SplitLines(text)};
  if (!loader::CheckEncoding(ctx, text) || !loader::CheckSingleDocument(ctx)) return result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    loader::ReportSyntaxError(ctx, error);
    return result;
  }
  if (!root.IsMap()) {
    // Empty: nothing but blank lines and comments.
    const auto content = std::find_if(ctx.lines.begin(), ctx.lines.end(), [](const auto& line) {
      const size_t first = line.find_first_not_of(" \t\r");
      return first != std::string::npos && line[first] != '#';
    });
    const bool empty = root.IsNull() && content == ctx.lines.end();
    SourceLocation at = LocationOf(root);
    if (at.line <= 0) at = {empty ? 1 : static_cast<int>(content - ctx.lines.begin()) + 1, 1};
    result.diagnostics.Error(at,
                             "a workflow file must be a map with name, version and steps, got " +
                                 (empty ? std::string("an empty file") : loader::Describe(root)));
    return result;
  }
  if (!loader::CheckDocument(ctx, root)) {
    result.diagnostics.Sort();
    return result;
  }
  auto definition = std::make_shared<WorkflowDefinition>();
  loader::CheckKeys(ctx, root, "", loader::kTopKeys);
  loader::ReadHeader(ctx, root, *definition);
  definition->input_schema_source = YamlToJson(Find(root, "input"));
  definition->input_schema = loader::ReadInputSchema(ctx, Find(root, "input"));
  definition->triggers = loader::ReadTriggers(ctx, Find(root, "triggers"));
  const loader::Defaults defaults = loader::ReadDefaults(ctx, Find(root, "defaults"));
  loader::ReadSteps(ctx, root, defaults, *definition);
  if (const YAML::Node output = Find(root, "output"); output.IsDefined()) {
    if (loader::ExpectMap(ctx, output, "output")) {
      if (auto compiled = loader::CompileValue(ctx, output, "output")) {
        definition->output = *compiled;
        definition->has_output = true;
      }
    }
  }
  loader::CheckReferences(ctx, root, *definition);
  result.diagnostics.Sort();
  if (result.diagnostics.HasErrors()) return result;
  definition->file = file_name;
  definition->source_text = text;
  // Hash the meaning, not the bytes: comments and layout may change freely.
  definition->content_hash = Sha256Hex(YamlToJson(root).dump());
  result.definition = std::move(definition);
  return result;
}

LoadResult LoadDefinitionFile(const std::filesystem::path& path, const StepRegistry& registry) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    LoadResult result{nullptr, Diagnostics(path.string())};
    result.diagnostics.Error({}, "cannot read the file");
    return result;
  }
  std::stringstream buffer;
  buffer << file.rdbuf();
  return LoadDefinition(path.string(), buffer.str(), registry);
}

bool FolderLoadResult::HasErrors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

FolderLoadResult LoadDefinitionFolder(const std::filesystem::path& folder,
                                      const StepRegistry& registry) {
  FolderLoadResult result;
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
      files.push_back(entry.path());
    }
  }
  if (error) {
    result.diagnostics.push_back(
        {folder.string(), {}, Severity::kError, "cannot read the folder: " + error.message()});
    return result;
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> names;  // workflow name -> first file
  for (const auto& file : files) {
    LoadResult loaded = LoadDefinitionFile(file, registry);
    for (const auto& d : loaded.diagnostics.list()) result.diagnostics.push_back(d);
    if (!loaded.definition) continue;
    auto [it, inserted] = names.emplace(loaded.definition->name, file.string());
    if (!inserted) {
      result.diagnostics.push_back(
          {file.string(),
           {1, 1},
           Severity::kError,
           "workflow '" + loaded.definition->name + "' is already defined in " + it->second});
      continue;
    }
    result.definitions.push_back(loaded.definition);
  }
  return result;
}

}  // namespace sagaflow
