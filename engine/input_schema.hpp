// Input schemas: a JSON-Schema (draft 2020-12) subset that checks the input of
// a workflow run when it is triggered, and the full set of keywords used to
// check workflow files against schemas/workflow.schema.json.
//
// InputSchema::compile() checks a schema document and reports every problem in
// it with the path of the offending keyword; validate() then reports every
// violation in a value with its JSON path. User errors are returned as lists,
// never thrown.
//
// Thread-safety: a compiled InputSchema is immutable. Copies share the
// compiled form, and validate()/apply_defaults() may be called on the same
// schema from any number of threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow {

namespace input_schema_detail {
struct Document;
}

enum class Dialect {
  // The keywords allowed in a workflow's `input:` block: type, properties,
  // required, additionalProperties, items, enum, const, pattern, minLength,
  // maxLength, minimum, maximum, minItems, maxItems, format, default,
  // description, title, examples. The top-level schema is always an object
  // schema: a missing top-level `type` means `type: object`.
  InputSubset,
  // InputSubset plus $schema, $id, $comment, $defs, $ref ('#' and
  // '#/$defs/<name>' only), anyOf, oneOf, allOf, not, if/then/else,
  // patternProperties, propertyNames, minProperties, maxProperties,
  // uniqueItems, exclusiveMinimum, exclusiveMaximum, multipleOf.
  Full,
};

// A problem in a schema document. `path` holds the segments leading from the
// schema's root to the offending keyword or array element, e.g.
// {"properties", "email", "format"} or {"required", "2"}; empty for the root.
struct SchemaProblem {
  std::vector<std::string> path;
  std::string message;
};

// A value that does not satisfy a schema. `path` is a JSON path: `$` for the
// root, `$.admin_email`, `$.items[2].id`, `$['odd key']`. `message` does not
// repeat the path; to_string() joins them as "$.x: expected string, got
// integer".
struct Violation {
  std::string path;
  std::string message;
};

// "/properties/email/format: unknown format ..." ("/" for the root).
std::string to_string(const SchemaProblem& problem);
// "$.admin_email: 'x' is not a valid email address".
std::string to_string(const Violation& violation);

class InputSchema {
 public:
  struct CompileResult;
  struct CheckedInput;

  // The empty schema: every value is valid, no defaults.
  InputSchema();

  // Compiles `schema`. When `problems` is not empty the returned schema is a
  // best-effort rendering that ignores the faulty keywords; callers should
  // refuse the definition rather than use it.
  static CompileResult compile(const Json& schema, Dialect dialect);

  // Every violation of the schema by `value`, in a stable order; empty when
  // the value is valid. Inside anyOf/oneOf/not only a summary is reported.
  std::vector<Violation> validate(const Json& value) const;

  // `value` with every absent property that has a `default` filled in,
  // recursively into objects (and array items) that are present. A property
  // that is present, even as null, is left alone.
  Json apply_defaults(Json value) const;

  // What a trigger does with a run input: apply_defaults, then validate.
  CheckedInput check_input(Json input) const;

 private:
  explicit InputSchema(std::shared_ptr<const input_schema_detail::Document> document);

  std::shared_ptr<const input_schema_detail::Document> document_;
};

struct InputSchema::CompileResult {
  InputSchema schema;
  std::vector<SchemaProblem> problems;

  bool ok() const { return problems.empty(); }
};

struct InputSchema::CheckedInput {
  Json value;  // the input with defaults applied
  std::vector<Violation> violations;

  bool ok() const { return violations.empty(); }
};

}  // namespace sagaflow
