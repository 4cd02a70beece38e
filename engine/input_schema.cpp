// InputSchema's public face: compiling, validating, defaults; the work is done
// in input_schema_compile.cpp and input_schema_validate.cpp.
#include "engine/input_schema.hpp"

#include "engine/input_schema_internal.hpp"

namespace sagaflow {

using input_schema_detail::Document;

std::string to_string(const SchemaProblem& problem) {
  std::string pointer;
  for (const std::string& segment : problem.path) pointer += "/" + segment;
  return (pointer.empty() ? "/" : pointer) + ": " + problem.message;
}

std::string to_string(const Violation& violation) {
  return violation.path + ": " + violation.message;
}

InputSchema::InputSchema() {
  static const std::shared_ptr<const Document> kEmpty = [] {
    std::vector<SchemaProblem> none;
    return std::shared_ptr<const Document>(
        input_schema_detail::compile_document(Json::object(), Dialect::Full, none));
  }();
  document_ = kEmpty;
}

InputSchema::InputSchema(std::shared_ptr<const Document> document)
    : document_(std::move(document)) {}

InputSchema::CompileResult InputSchema::compile(const Json& schema, Dialect dialect) {
  std::vector<SchemaProblem> problems;
  auto document = input_schema_detail::compile_document(schema, dialect, problems);
  return {InputSchema(std::move(document)), std::move(problems)};
}

std::vector<Violation> InputSchema::validate(const Json& value) const {
  std::vector<Violation> violations;
  input_schema_detail::validate_node(*document_->root, value, "$", violations);
  return violations;
}

Json InputSchema::apply_defaults(Json value) const {
  return input_schema_detail::apply_defaults_node(*document_->root, std::move(value));
}

InputSchema::CheckedInput InputSchema::check_input(Json input) const {
  CheckedInput checked{apply_defaults(std::move(input)), {}};
  checked.violations = validate(checked.value);
  return checked;
}

}  // namespace sagaflow
