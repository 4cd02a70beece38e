// Validation of values against compiled input-schema nodes (every violation,
// with its JSON path) and the filling in of defaults.
#include <cmath>

#include "engine/input_schema_internal.hpp"

namespace sagaflow::input_schema_detail {
namespace {

constexpr int kMaxDefaultDepth = 64;  // guards defaults of self-referencing schemas

void add(std::vector<Violation>& out, const std::string& path, std::string message) {
  out.push_back({path, std::move(message)});
}

std::string counted(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool is_valid(const Node& node, const Json& value) {
  std::vector<Violation> out;
  validate_node(node, value, "$", out);
  return out.empty();
}

bool is_multiple(const Json& value, const Json& divisor) {
  if (value.is_number_integer() && divisor.is_number_integer()) {
    const auto magnitude = [](const Json& v) -> std::uint64_t {
      if (v.is_number_unsigned()) return v.get<std::uint64_t>();
      const auto x = v.get<std::int64_t>();
      return x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
    };
    return magnitude(value) % magnitude(divisor) == 0;
  }
  const double q = value.get<double>() / divisor.get<double>();
  if (!std::isfinite(q)) return false;
  return std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
}

void validate_string(const Node& n, const Json& value, const std::string& path,
                     std::vector<Violation>& out) {
  const std::string& text = value.get_ref<const std::string&>();
  if (n.min_length || n.max_length) {
    const std::size_t length = utf8_length(text);
    if (n.min_length && length < *n.min_length) {
      add(out, path,
          render(value) + " is shorter than " + counted(*n.min_length, "character", "characters"));
    }
    if (n.max_length && length > *n.max_length) {
      add(out, path,
          render(value) + " is longer than " + counted(*n.max_length, "character", "characters"));
    }
  }
  if (n.pattern && !regex_search(*n.pattern, text)) {
    add(out, path, render(value) + " does not match pattern " + render(Json(n.pattern->source)));
  }
  if (n.format) {
    if (auto message = check_format(*n.format, text)) add(out, path, std::move(*message));
  }
}

void validate_number(const Node& n, const Json& value, const std::string& path,
                     std::vector<Violation>& out) {
  const std::string shown = render(value);
  if (n.minimum && compare_numbers(value, *n.minimum) < 0) {
    add(out, path, shown + " is less than the minimum " + render(*n.minimum));
  }
  if (n.maximum && compare_numbers(value, *n.maximum) > 0) {
    add(out, path, shown + " is greater than the maximum " + render(*n.maximum));
  }
  if (n.exclusive_minimum && compare_numbers(value, *n.exclusive_minimum) <= 0) {
    add(out, path,
        shown + " is less than or equal to the exclusive minimum " + render(*n.exclusive_minimum));
  }
  if (n.exclusive_maximum && compare_numbers(value, *n.exclusive_maximum) >= 0) {
    add(out, path,
        shown + " is greater than or equal to the exclusive maximum " +
            render(*n.exclusive_maximum));
  }
  if (n.multiple_of && !is_multiple(value, *n.multiple_of)) {
    add(out, path, shown + " is not a multiple of " + render(*n.multiple_of));
  }
}

void validate_array(const Node& n, const Json& value, const std::string& path,
                    std::vector<Violation>& out) {
  const std::size_t size = value.size();
  if (n.min_items && size < *n.min_items) {
    add(out, path,
        "expected at least " + counted(*n.min_items, "item", "items") + ", got " +
            std::to_string(size));
  }
  if (n.max_items && size > *n.max_items) {
    add(out, path,
        "expected at most " + counted(*n.max_items, "item", "items") + ", got " +
            std::to_string(size));
  }
  if (n.unique_items) {
    for (std::size_t i = 1; i < size; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (json_equal(value[i], value[j])) {
          add(out, path,
              "item " + std::to_string(i) + " is a duplicate of item " + std::to_string(j));
          break;
        }
      }
    }
  }
  if (n.items) {
    for (std::size_t i = 0; i < size; ++i)
      validate_node(*n.items, value[i], index_path(path, i), out);
  }
}

void validate_object(const Node& n, const Json& value, const std::string& path,
                     std::vector<Violation>& out) {
  for (const std::string& name : n.required) {
    if (!value.contains(name)) add(out, path, "missing required property " + render(Json(name)));
  }
  if (n.min_properties && value.size() < *n.min_properties) {
    add(out, path,
        "expected at least " + counted(*n.min_properties, "property", "properties") + ", got " +
            std::to_string(value.size()));
  }
  if (n.max_properties && value.size() > *n.max_properties) {
    add(out, path,
        "expected at most " + counted(*n.max_properties, "property", "properties") + ", got " +
            std::to_string(value.size()));
  }
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string child = child_path(path, it.key());
    if (n.property_names) {
      std::vector<Violation> name_violations;
      validate_node(*n.property_names, Json(it.key()), child, name_violations);
      for (Violation& v : name_violations) add(out, child, "property name " + v.message);
    }
    bool matched = false;
    if (auto p = n.properties.find(it.key()); p != n.properties.end()) {
      matched = true;
      validate_node(*p->second, it.value(), child, out);
    }
    for (const auto& [re, schema] : n.pattern_properties) {
      if (!regex_search(re, it.key())) continue;
      matched = true;
      validate_node(*schema, it.value(), child, out);
    }
    if (matched || !n.additional) continue;
    if (n.additional->boolean == false) {
      std::vector<std::string_view> names;
      for (const auto& [name, unused] : n.properties) names.push_back(name);
      const auto suggestion = closest(it.key(), names);
      add(out, child,
          "unknown property " + render(Json(it.key())) +
              (suggestion ? "; did you mean '" + *suggestion + "'?" : ""));
    } else {
      validate_node(*n.additional, it.value(), child, out);
    }
  }
}

void validate_combinators(const Node& n, const Json& value, const std::string& path,
                          std::vector<Violation>& out) {
  for (const Node* schema : n.all_of) validate_node(*schema, value, path, out);
  if (!n.any_of.empty()) {
    bool any = false;
    for (const Node* schema : n.any_of) {
      if ((any = is_valid(*schema, value))) break;
    }
    if (!any) add(out, path, "does not match any alternative of anyOf");
  }
  if (!n.one_of.empty()) {
    std::vector<std::size_t> matching;
    for (std::size_t i = 0; i < n.one_of.size(); ++i) {
      if (is_valid(*n.one_of[i], value)) matching.push_back(i);
    }
    if (matching.empty()) add(out, path, "does not match any alternative of oneOf");
    if (matching.size() > 1) {
      std::string list;
      for (std::size_t i = 0; i < matching.size(); ++i) {
        if (i > 0) list += i + 1 == matching.size() ? " and " : ", ";
        list += std::to_string(matching[i]);
      }
      add(out, path, "matches alternatives " + list + " of oneOf, but must match exactly one");
    }
  }
  if (n.not_schema && is_valid(*n.not_schema, value)) {
    add(out, path, "must not match the schema in not");
  }
  if (n.if_schema) {
    const Node* branch = is_valid(*n.if_schema, value) ? n.then_schema : n.else_schema;
    if (branch) validate_node(*branch, value, path, out);
  }
  if (n.ref) validate_node(*n.ref, value, path, out);
}

const Json* default_of(const Node& n) {
  if (n.default_value) return &*n.default_value;
  return n.ref ? default_of(*n.ref) : nullptr;
}

Json apply_defaults_at(const Node& n, Json value, int depth) {
  if (n.boolean || depth > kMaxDefaultDepth) return value;
  if (n.ref) value = apply_defaults_at(*n.ref, std::move(value), depth + 1);
  for (const Node* schema : n.all_of)
    value = apply_defaults_at(*schema, std::move(value), depth + 1);
  if (value.is_object()) {
    for (const auto& [name, schema] : n.properties) {
      auto it = value.find(name);
      if (it != value.end()) {
        *it = apply_defaults_at(*schema, std::move(*it), depth + 1);
      } else if (const Json* fallback = default_of(*schema)) {
        value[name] = apply_defaults_at(*schema, *fallback, depth + 1);
      }
    }
  }
  if (value.is_array() && n.items) {
    for (Json& item : value) item = apply_defaults_at(*n.items, std::move(item), depth + 1);
  }
  return value;
}

}  // namespace

void validate_node(const Node& n, const Json& value, const std::string& path,
                   std::vector<Violation>& out) {
  if (n.boolean) {
    if (!*n.boolean) add(out, path, "no value is allowed here");
    return;
  }
  if (!matches_types(n.types, value)) {
    add(out, path, "expected " + types_text(n.types) + ", got " + type_name(value));
  }
  if (n.enum_values) {
    bool found = false;
    for (const Json& option : *n.enum_values) found = found || json_equal(option, value);
    if (!found) add(out, path, render(value) + " is not one of " + render_list(*n.enum_values));
  }
  if (n.const_value && !json_equal(*n.const_value, value)) {
    add(out, path, "must equal " + render(*n.const_value) + ", got " + render(value));
  }
  if (value.is_string()) validate_string(n, value, path, out);
  if (value.is_number()) validate_number(n, value, path, out);
  if (value.is_array()) validate_array(n, value, path, out);
  if (value.is_object()) validate_object(n, value, path, out);
  validate_combinators(n, value, path, out);
}

Json apply_defaults_node(const Node& node, Json value) {
  return apply_defaults_at(node, std::move(value), 0);
}

}  // namespace sagaflow::input_schema_detail
