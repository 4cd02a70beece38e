// Compiles a schema document into input_schema_detail::Node trees, keyword by
// keyword, reporting every malformed keyword with its path: unknown keywords
// (with a suggestion), values of the wrong type, bad regular expressions.
// Checks across keywords and across the document live in
// input_schema_checks.cpp and input_schema_links.cpp.
#include <set>

#include "engine/input_schema_internal.hpp"
#include "engine/input_schema_keywords.hpp"

namespace sagaflow::input_schema_detail {
namespace {

using Path = std::vector<std::string>;

constexpr std::string_view kDraft202012 = "https://json-schema.org/draft/2020-12/schema";
constexpr std::string_view kTypeList = "string, number, integer, boolean, object, array, null";

unsigned type_bit(std::string_view name) {
  if (name == "string") return kString;
  if (name == "number") return kNumber;
  if (name == "integer") return kInteger;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "null") return kNull;
  return 0;
}

// What a bad keyword value is called in a message: its type, or the number
// itself when the type is right but the value is not.
std::string describe(const Json& v) {
  return v.is_number() ? render(v) : type_name(v);
}

class Compiler {
 public:
  Compiler(Dialect dialect, Document& doc, std::vector<SchemaProblem>& problems)
      : dialect_(dialect), doc_(doc), problems_(problems) {}

  void run(const Json& schema) {
    if (dialect_ == Dialect::InputSubset && !schema.is_object()) {
      problem("an input schema must be an object, got " + type_name(schema));
    } else if (!schema.is_object() && !schema.is_boolean()) {
      problem("expected a schema (an object or a boolean), got " + type_name(schema));
    }
    doc_.root = compile(schema);
    link_document(doc_, defs_, refs_, problems_);
  }

 private:
  // ---- problems ----
  void problem(std::string message) { problems_.push_back({path_, std::move(message)}); }
  void problem_at(const Path& extra, std::string message) {
    Path path = path_;
    path.insert(path.end(), extra.begin(), extra.end());
    problems_.push_back({std::move(path), std::move(message)});
  }

  // ---- schemas ----
  Node* compile(const Json& schema) {
    doc_.nodes.push_back(std::make_unique<Node>());
    Node& node = *doc_.nodes.back();
    node.path = path_;
    const bool top = doc_.nodes.size() == 1;
    if (schema.is_boolean()) {
      node.boolean = schema.get<bool>();
      return &node;
    }
    if (!schema.is_object()) {
      if (!top) problem("expected a schema (an object or a boolean), got " + type_name(schema));
      return &node;
    }
    std::set<std::string> bad;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
      const std::size_t before = problems_.size();
      path_.push_back(it.key());
      keyword(node, it.key(), it.value(), top);
      path_.pop_back();
      if (problems_.size() != before) bad.insert(it.key());
    }
    if (top && dialect_ == Dialect::InputSubset) {
      if (schema.contains("type") && node.types != kObject && !bad.count("type")) {
        problem_at({"type"}, "the top-level input schema must have type object");
      }
      node.types = kObject;
      node.has_type = true;
    }
    check_combinations(node, schema, bad, dialect_, problems_);
    return &node;
  }

  // Compiles the schema at `path_` + `segment`.
  const Node* sub(const Json& schema, const std::string& segment) {
    path_.push_back(segment);
    const Node* node = compile(schema);
    path_.pop_back();
    return node;
  }

  std::vector<std::string_view> keyword_names() const {
    std::vector<std::string_view> names;
    for (const KeywordInfo& info : kKeywords) {
      if (find_keyword(info.name, dialect_)) names.push_back(info.name);
    }
    return names;
  }

  void keyword(Node& node, const std::string& name, const Json& v, bool top) {
    bool known = false;
    const KeywordInfo* info = find_keyword(name, dialect_, &known);
    if (!info && known) {
      problem("keyword '" + name + "' is not supported in workflow input schemas");
      return;
    }
    if (!info) {
      const auto suggestion = closest(name, keyword_names());
      problem("unknown keyword '" + name + "'" +
              (suggestion ? "; did you mean '" + *suggestion + "'?" : ""));
      return;
    }
    switch (info->kw) {
      case Kw::Type:
        return type(node, v);
      case Kw::Properties:
        if (!expect_object(name, v)) return;
        for (auto it = v.begin(); it != v.end(); ++it) {
          node.properties[it.key()] = sub(it.value(), it.key());
        }
        return;
      case Kw::Required:
        return required(node, v);
      case Kw::AdditionalProperties:
        node.additional = compile(v);
        return;
      case Kw::Items:
        if (v.is_array()) {
          problem(
              "items must be a single schema applied to every element; arrays of schemas "
              "are not supported");
          return;
        }
        node.items = compile(v);
        return;
      case Kw::Enum:
        return enumeration(node, v);
      case Kw::Const:
        node.const_value = v;
        return;
      case Kw::Pattern:
        if (!expect_string(name, v)) return;
        node.pattern = regex(v.get<std::string>(), {});
        return;
      case Kw::MinLength:
        node.min_length = count(name, v);
        return;
      case Kw::MaxLength:
        node.max_length = count(name, v);
        return;
      case Kw::MinItems:
        node.min_items = count(name, v);
        return;
      case Kw::MaxItems:
        node.max_items = count(name, v);
        return;
      case Kw::MinProperties:
        node.min_properties = count(name, v);
        return;
      case Kw::MaxProperties:
        node.max_properties = count(name, v);
        return;
      case Kw::Minimum:
        node.minimum = number(name, v);
        return;
      case Kw::Maximum:
        node.maximum = number(name, v);
        return;
      case Kw::ExclusiveMinimum:
        node.exclusive_minimum = number(name, v);
        return;
      case Kw::ExclusiveMaximum:
        node.exclusive_maximum = number(name, v);
        return;
      case Kw::MultipleOf:
        if (!v.is_number() || compare_numbers(v, Json(0)) <= 0) {
          problem("multipleOf must be a number greater than 0, got " + describe(v));
          return;
        }
        node.multiple_of = v;
        return;
      case Kw::Format:
        return format(node, v);
      case Kw::Default:
        node.default_value = v;
        return;
      case Kw::Annotation:
      case Kw::Id:
        expect_string(name, v);
        return;
      case Kw::Examples:
        if (!v.is_array()) problem("examples must be an array, got " + type_name(v));
        return;
      case Kw::Schema:
        if (!expect_string(name, v)) return;
        if (const auto& s = v.get_ref<const std::string&>();
            s != kDraft202012 && s != std::string(kDraft202012) + "#") {
          problem("unsupported $schema " + render(v) + "; only " + std::string(kDraft202012) +
                  " is supported");
        }
        return;
      case Kw::Defs:
        if (!top) {
          problem("$defs is only supported at the top level of the schema");
          return;
        }
        if (!expect_object(name, v)) return;
        for (auto it = v.begin(); it != v.end(); ++it) defs_[it.key()] = sub(it.value(), it.key());
        return;
      case Kw::Ref:
        return ref(node, v);
      case Kw::AllOf:
        node.all_of = schema_list(name, v);
        return;
      case Kw::AnyOf:
        node.any_of = schema_list(name, v);
        return;
      case Kw::OneOf:
        node.one_of = schema_list(name, v);
        return;
      case Kw::Not:
        node.not_schema = compile(v);
        return;
      case Kw::If:
        node.if_schema = compile(v);
        return;
      case Kw::Then:
        node.then_schema = compile(v);
        return;
      case Kw::Else:
        node.else_schema = compile(v);
        return;
      case Kw::PropertyNames:
        node.property_names = compile(v);
        return;
      case Kw::PatternProperties:
        if (!expect_object(name, v)) return;
        for (auto it = v.begin(); it != v.end(); ++it) {
          auto re = regex(it.key(), {it.key()});
          const Node* schema = sub(it.value(), it.key());
          if (re) node.pattern_properties.emplace_back(std::move(*re), schema);
        }
        return;
      case Kw::UniqueItems:
        if (!v.is_boolean()) {
          problem("uniqueItems must be a boolean, got " + type_name(v));
          return;
        }
        node.unique_items = v.get<bool>();
        return;
    }
  }

  // ---- keyword values ----
  bool expect_string(const std::string& name, const Json& v) {
    if (v.is_string()) return true;
    problem(name + " must be a string, got " + type_name(v));
    return false;
  }

  bool expect_object(const std::string& name, const Json& v) {
    if (v.is_object()) return true;
    problem(name + " must be an object, got " + type_name(v));
    return false;
  }

  std::optional<std::uint64_t> count(const std::string& name, const Json& v) {
    if (is_integer(v) && compare_numbers(v, Json(0)) >= 0) {
      if (v.is_number_integer()) return v.get<std::uint64_t>();
      const double d = v.get<double>();
      return d >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(d);
    }
    problem(name + " must be a non-negative integer, got " + describe(v));
    return std::nullopt;
  }

  std::optional<Json> number(const std::string& name, const Json& v) {
    if (v.is_number()) return v;
    problem(name + " must be a number, got " + type_name(v));
    return std::nullopt;
  }

  std::optional<Regex> regex(const std::string& source, const Path& at) {
    std::string error;
    auto compiled = compile_regex(source, error);
    if (!compiled)
      problem_at(at, "invalid regular expression " + render(Json(source)) + ": " + error);
    return compiled;
  }

  void type(Node& node, const Json& v) {
    const auto one = [&](const Json& t, const Path& at) -> unsigned {
      if (!t.is_string()) {
        problem_at(at, "type entries must be strings, got " + type_name(t));
        return 0;
      }
      const unsigned bit = type_bit(t.get<std::string>());
      if (bit == 0) {
        problem_at(at, "unknown type " + render(t) + "; expected one of " + std::string(kTypeList));
      }
      return bit;
    };
    if (v.is_string()) {
      node.types = one(v, {});
    } else if (v.is_array()) {
      if (v.empty()) problem("type must not be an empty array");
      for (std::size_t i = 0; i < v.size(); ++i) {
        const unsigned bit = one(v[i], {std::to_string(i)});
        if (bit & node.types) problem_at({std::to_string(i)}, "duplicate type " + render(v[i]));
        node.types |= bit;
      }
    } else {
      problem("type must be a string or an array of strings, got " + type_name(v));
    }
    node.has_type = node.types != 0;
  }

  void required(Node& node, const Json& v) {
    if (!v.is_array()) {
      problem("required must be an array of property names, got " + type_name(v) +
              (v.is_boolean() ? "; list required properties in the parent object's required array"
                              : ""));
      return;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        problem_at({std::to_string(i)}, "required entries must be strings, got " + type_name(v[i]));
      } else if (!seen.insert(v[i].get<std::string>()).second) {
        problem_at({std::to_string(i)}, "duplicate required property " + render(v[i]));
      } else {
        node.required.push_back(v[i].get<std::string>());
      }
    }
  }

  void enumeration(Node& node, const Json& v) {
    if (!v.is_array()) {
      problem("enum must be a non-empty array, got " + type_name(v));
      return;
    }
    if (v.empty()) {
      problem("enum must not be empty");
      return;
    }
    for (std::size_t i = 1; i < v.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (json_equal(v[i], v[j])) {
          problem_at({std::to_string(i)}, "duplicate enum value " + render(v[i]));
          break;
        }
      }
    }
    node.enum_values = v;
  }

  void format(Node& node, const Json& v) {
    if (!expect_string("format", v)) return;
    node.format = parse_format(v.get<std::string>());
    if (!node.format) {
      problem("unknown format " + render(v) + "; expected one of email, uri, date-time, uuid");
    }
  }

  std::vector<const Node*> schema_list(const std::string& name, const Json& v) {
    std::vector<const Node*> out;
    if (!v.is_array() || v.empty()) {
      problem(name + " must be a non-empty array of schemas, got " +
              (v.is_array() ? std::string("an empty array") : type_name(v)));
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(sub(v[i], std::to_string(i)));
    return out;
  }

  void ref(Node& node, const Json& v) {
    if (!expect_string("$ref", v)) return;
    const std::string text = v.get<std::string>();
    constexpr std::string_view kPrefix = "#/$defs/";
    std::string name;
    if (text != "#") {
      if (text.rfind(kPrefix, 0) != 0 || text.size() == kPrefix.size() ||
          text.find('/', kPrefix.size()) != std::string::npos) {
        problem("unsupported $ref " + render(v) + "; only '#' and '#/$defs/<name>' are supported");
        return;
      }
      for (std::size_t i = kPrefix.size(); i < text.size(); ++i) {  // JSON-pointer escapes
        if (text[i] == '~' && i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
          name += text[++i] == '0' ? '~' : '/';
        } else {
          name += text[i];
        }
      }
    }
    refs_.push_back({&node, text, name, path_});
  }

  Dialect dialect_;
  Document& doc_;
  std::vector<SchemaProblem>& problems_;
  Path path_;
  std::map<std::string, const Node*> defs_;
  std::vector<RefSite> refs_;
};

}  // namespace

std::shared_ptr<Document> compile_document(const Json& schema, Dialect dialect,
                                           std::vector<SchemaProblem>& problems) {
  auto doc = std::make_shared<Document>();
  Compiler(dialect, *doc, problems).run(schema);
  return doc;
}

}  // namespace sagaflow::input_schema_detail
