// Private to engine/input_schema*.cpp: the compiled form of an InputSchema and
// the helpers that compiling and validating share. Nodes are built once by the
// compiler and only read afterwards, so a Document is safe to share across
// threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/input_schema.hpp"
#include "engine/json.hpp"

namespace sagaflow::input_schema_detail {

// Bits of Node::types; 0 means "any type".
enum TypeBit : unsigned {
  kNull = 1u << 0,
  kBoolean = 1u << 1,
  kObject = 1u << 2,
  kArray = 1u << 3,
  kNumber = 1u << 4,
  kInteger = 1u << 5,
  kString = 1u << 6,
};

enum class Format { Email, Uri, DateTime, Uuid };

// A pattern compiled once, matched on code points (UTF-32) so that `.` and
// character classes see whole characters.
struct Regex {
  std::string source;
  std::wregex re;
};

struct Node {
  std::vector<std::string> path;  // where the schema sits in the document
  std::optional<bool> boolean;    // set for the `true` and `false` schemas
  unsigned types = 0;
  bool has_type = false;  // `type` was written (or implied at the top level)

  std::map<std::string, const Node*> properties;
  std::vector<std::pair<Regex, const Node*>> pattern_properties;
  const Node* additional = nullptr;
  const Node* property_names = nullptr;
  std::vector<std::string> required;
  std::optional<std::uint64_t> min_properties, max_properties;

  const Node* items = nullptr;
  std::optional<std::uint64_t> min_items, max_items;
  bool unique_items = false;

  std::optional<std::uint64_t> min_length, max_length;
  std::optional<Regex> pattern;
  std::optional<Format> format;

  std::optional<Json> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;

  std::optional<Json> enum_values;  // a non-empty JSON array
  std::optional<Json> const_value;
  std::optional<Json> default_value;

  std::vector<const Node*> all_of, any_of, one_of;
  const Node* not_schema = nullptr;
  const Node* if_schema = nullptr;
  const Node* then_schema = nullptr;
  const Node* else_schema = nullptr;
  const Node* ref = nullptr;
};

struct Document {
  std::vector<std::unique_ptr<Node>> nodes;  // in document order; nodes[0] is the root
  const Node* root = nullptr;
};

// --- compiling (input_schema_compile.cpp) ---
std::shared_ptr<Document> compile_document(const Json& schema, Dialect dialect,
                                           std::vector<SchemaProblem>& problems);

// --- checks across keywords (input_schema_checks.cpp) ---
// Contradictions among the keywords of one schema object: min above max,
// keywords that cannot apply to the declared type, enum values of another
// type, required names that additionalProperties: false forbids, then/else
// without if. `bad` names the keywords already reported as malformed.
void check_combinations(const Node& node, const Json& schema, const std::set<std::string>& bad,
                        Dialect dialect, std::vector<SchemaProblem>& problems);

// --- whole-document passes (input_schema_links.cpp) ---
struct RefSite {
  Node* node;
  std::string text;               // as written: "#" or "#/$defs/<name>"
  std::string name;               // the unescaped <name>; empty for "#"
  std::vector<std::string> path;  // of the $ref keyword
};
// Resolves every $ref against the top-level $defs, cuts and reports $ref
// cycles that never descend into a value, then checks every default.
void link_document(Document& doc, const std::map<std::string, const Node*>& defs,
                   const std::vector<RefSite>& refs, std::vector<SchemaProblem>& problems);

// --- regular expressions (input_schema_regex.cpp) ---
// The compiled pattern, or nullopt with `error` set ("unclosed '('").
std::optional<Regex> compile_regex(const std::string& source, std::string& error);
// Unanchored search, on code points.
bool regex_search(const Regex& regex, const std::string& text);

// --- validation (input_schema_validate.cpp) ---
void validate_node(const Node& node, const Json& value, const std::string& path,
                   std::vector<Violation>& out);
Json apply_defaults_node(const Node& node, Json value);

// --- values (input_schema_values.cpp) ---
bool is_integer(const Json& value);
// -1, 0 or 1; both arguments must be numbers.
int compare_numbers(const Json& a, const Json& b);
// Deep equality with numbers compared by value (1 == 1.0).
bool json_equal(const Json& a, const Json& b);
bool matches_types(unsigned types, const Json& value);
// "null", "boolean", "object", "array", "integer", "number" or "string".
std::string type_name(const Json& value);
// "string", "string or null", "string, integer or null".
std::string types_text(unsigned types);
// A value inside a message: strings in single quotes, others as compact JSON,
// long values shortened.
std::string render(const Json& value);
// The elements of an array as "free, pro, enterprise".
std::string render_list(const Json& array);
std::string child_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, std::size_t index);
std::size_t utf8_length(std::string_view text);
std::wstring utf8_to_wide(std::string_view text);
// The candidate nearest to `word` when it is close enough to be a likely typo.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates);

// --- formats (input_schema_formats.cpp) ---
std::optional<Format> parse_format(std::string_view name);
// Empty when `text` is valid; otherwise the message, e.g. "'x' is not a valid
// email address".
std::optional<std::string> check_format(Format format, const std::string& text);

}  // namespace sagaflow::input_schema_detail
