// Checks across the keywords of one schema object: contradictions that no
// value could satisfy and keywords that cannot take effect.
#include <string>

#include "engine/input_schema_internal.hpp"
#include "engine/input_schema_keywords.hpp"

namespace sagaflow::input_schema_detail {
namespace {

std::string noun(unsigned applies_to) {
  switch (applies_to) {
    case kString:
      return "strings";
    case kObject:
      return "objects";
    case kArray:
      return "arrays";
    default:
      return "numbers";
  }
}

}  // namespace

void check_combinations(const Node& node, const Json& schema, const std::set<std::string>& bad,
                        Dialect dialect, std::vector<SchemaProblem>& problems) {
  const auto problem_at = [&](const std::vector<std::string>& extra, std::string message) {
    std::vector<std::string> path = node.path;
    path.insert(path.end(), extra.begin(), extra.end());
    problems.push_back({std::move(path), std::move(message)});
  };
  const auto bigger = [&](const char* lo, const std::optional<std::uint64_t>& a, const char* hi,
                          const std::optional<std::uint64_t>& b) {
    if (a && b && *a > *b) {
      problem_at({lo}, std::string(lo) + " (" + std::to_string(*a) + ") is greater than " + hi +
                           " (" + std::to_string(*b) + ")");
    }
  };
  bigger("minLength", node.min_length, "maxLength", node.max_length);
  bigger("minItems", node.min_items, "maxItems", node.max_items);
  bigger("minProperties", node.min_properties, "maxProperties", node.max_properties);
  const auto bound = [&](const char* lo, const std::optional<Json>& a, const char* hi,
                         const std::optional<Json>& b, bool strict) {
    if (!a || !b) return;
    const int c = compare_numbers(*a, *b);
    if (c > 0 || (strict && c == 0)) {
      problem_at({lo}, std::string(lo) + " (" + render(*a) + ") is " +
                           (strict ? "not less than " : "greater than ") + hi + " (" + render(*b) +
                           ")");
    }
  };
  bound("minimum", node.minimum, "maximum", node.maximum, false);
  bound("minimum", node.minimum, "exclusiveMaximum", node.exclusive_maximum, true);
  bound("exclusiveMinimum", node.exclusive_minimum, "maximum", node.maximum, true);
  bound("exclusiveMinimum", node.exclusive_minimum, "exclusiveMaximum", node.exclusive_maximum,
        true);

  if (node.has_type) {
    for (auto it = schema.begin(); it != schema.end(); ++it) {
      const KeywordInfo* info = find_keyword(it.key(), dialect);
      if (!info || bad.count(it.key()) || info->applies_to == 0) continue;
      if (!(node.types & info->applies_to)) {
        problem_at({it.key()}, it.key() + " applies only to " + noun(info->applies_to) +
                                   ", but type is " + types_text(node.types));
      }
    }
    if (node.enum_values) {
      for (std::size_t i = 0; i < node.enum_values->size(); ++i) {
        const Json& value = (*node.enum_values)[i];
        if (!matches_types(node.types, value)) {
          problem_at({"enum", std::to_string(i)},
                     "enum value " + render(value) + " is not of type " + types_text(node.types));
        }
      }
    }
    if (node.const_value && !matches_types(node.types, *node.const_value)) {
      problem_at({"const"}, "const value " + render(*node.const_value) + " is not of type " +
                                types_text(node.types));
    }
  }

  if (node.additional && node.additional->boolean == false && !bad.count("required") &&
      schema.contains("required")) {
    const Json& required = schema["required"];
    for (std::size_t i = 0; i < required.size(); ++i) {
      const std::string& name = required[i].get_ref<const std::string&>();
      bool declared = node.properties.count(name) > 0;
      for (const auto& [re, unused] : node.pattern_properties) {
        declared = declared || regex_search(re, name);
      }
      if (!declared) {
        problem_at({"required", std::to_string(i)},
                   "required property " + render(required[i]) +
                       " is not declared in properties, and additionalProperties is false");
      }
    }
  }
  if (dialect == Dialect::Full && !node.if_schema) {
    if (schema.contains("then")) problem_at({"then"}, "then has no effect without if");
    if (schema.contains("else")) problem_at({"else"}, "else has no effect without if");
  }
}

}  // namespace sagaflow::input_schema_detail
