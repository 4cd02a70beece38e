// The `${{ … }}` expression language of workflow definitions. Strings are
// parsed once, at load time, into Templates (or, for a whole `with:` block,
// a CompiledValue); the definition validator reads their references(); the
// executor renders them later against a run's data through an EvalContext.
//
// Language: roots input, steps, run, env, secrets, event, now; paths with
// .name, ['key'] and [0]; literals (int64, double, strings in '' or "" with
// backslash escapes, true, false, null); ! then == != < <= > >= then && then
// ||, with parentheses. == is deep JSON equality (1 == 1.0); ordering needs
// two numbers or two strings; && || ! need booleans and short-circuit.
// Functions: default(a, b) (b when a is null or a missing path: absent key,
// index past the end or null on the way; wrong types still fail),
// concat(a, b, ...), lower(s), upper(s) (ASCII), now(), length(x) (UTF-8
// code points of a string, size of an array or object), contains(haystack,
// needle) (substring or array element), string(x). Unknown roots and
// functions and wrong arity are parse errors.
//
// User mistakes never throw: parse and render return an ExprResult holding a
// value or errors. Exceptions mean a bug (e.g. ExprResult::value() on a
// failure).
//
// Thread-safety: Expression, Template and CompiledValue are immutable once
// parsed and share their syntax tree through shared_ptr, so copies are cheap
// and any number of threads may render the same object at once. An
// EvalContext is only read during a render; its clock is called on the
// rendering thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow {

// A problem found while parsing or rendering. `offset` is the 0-based byte
// offset within the template string, for the caller to turn into
// file:line:col. `pointer` is the JSON pointer of that string inside a
// CompiledValue ("" for a lone Template or Expression).
struct ExprError {
  std::string message;
  std::size_t offset = 0;
  std::string pointer;
};

// A value or at least one error.
template <typename T>
class [[nodiscard]] ExprResult {
 public:
  static ExprResult success(T value) { return ExprResult(std::move(value), {}); }
  static ExprResult failure(std::vector<ExprError> errors) {
    if (errors.empty()) throw std::logic_error("ExprResult::failure without an error");
    return ExprResult(std::nullopt, std::move(errors));
  }
  static ExprResult failure(ExprError error) { return failure(std::vector{std::move(error)}); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    check();
    return *value_;
  }
  T value() && {
    check();
    return std::move(*value_);
  }
  // Empty when ok(); otherwise in source order.
  const std::vector<ExprError>& errors() const { return errors_; }
  // The first error; only valid when !ok().
  const ExprError& error() const {
    if (errors_.empty()) throw std::logic_error("ExprResult::error on a success");
    return errors_.front();
  }

 private:
  ExprResult(std::optional<T> value, std::vector<ExprError> errors)
      : value_(std::move(value)), errors_(std::move(errors)) {}
  void check() const {
    if (!value_) throw std::logic_error("ExprResult::value on a failure: " + errors_[0].message);
  }

  std::optional<T> value_;
  std::vector<ExprError> errors_;
};

// What a render reads. `scope` is an object with any of the keys input,
// steps, run, env, secrets, event; an absent key makes that root unavailable
// ("secrets are not available here"). `scope` is borrowed: it must outlive
// the context. `clock` feeds `now` and `now()`; tests inject a fixed one.
struct EvalContext {
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  const Json& scope;
  Clock clock = [] { return std::chrono::system_clock::now(); };
};

// One place an expression reads from: `path` is the root followed by the
// static segments as written (indexes in decimal), e.g.
// {"steps", "create_org", "output", "id"}; `offset` is the byte offset of
// the root in the template string; `pointer` as in ExprError. A call to
// now() counts as a reference to {"now"}.
struct ExprReference {
  std::vector<std::string> path;
  std::size_t offset = 0;
  std::string pointer;
  const std::string& root() const { return path.front(); }
};

// The roots an expression may start from, in the order error messages list.
inline constexpr std::string_view kExprRoots[] = {"input",   "steps", "run", "env",
                                                  "secrets", "event", "now"};

namespace detail {
struct ExprTree;
}  // namespace detail

// One bare expression, without `${{ }}` (e.g. `input.plan == 'pro'`).
class Expression {
 public:
  static ExprResult<Expression> parse(std::string_view text);

  // Never throws on bad data; type and lookup problems come back as errors.
  ExprResult<Json> evaluate(const EvalContext& ctx) const;
  std::vector<ExprReference> references() const;
  bool references_root(std::string_view root) const;
  const std::string& source() const;

  // For the parser; users go through parse().
  explicit Expression(std::shared_ptr<const detail::ExprTree> tree) : tree_(std::move(tree)) {}

 private:
  std::shared_ptr<const detail::ExprTree> tree_;
};

// A string that may hold `${{ expr }}` parts. A template that is exactly one
// expression ("whole") renders to the expression's JSON value; otherwise the
// parts are rendered as text and concatenated (strings as-is, integral
// numbers without ".0", other numbers as shortest JSON, booleans as
// true/false, null as "", arrays and objects as compact JSON).
// There is no escape for a literal "${{"; write ${{ '${{' }} instead.
class Template {
 public:
  Template();  // the literal ""

  // Every error in the string, each with its offset.
  static ExprResult<Template> parse(std::string_view text);

  ExprResult<Json> render(const EvalContext& ctx) const;
  bool is_whole() const;
  bool is_literal() const;  // no expressions: renders as source()
  std::vector<ExprReference> references() const;
  bool references_root(std::string_view root) const;
  const std::string& source() const;

 private:
  struct Impl;
  explicit Template(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// A JSON value (e.g. a step's `with:` block) whose strings, at any depth,
// were parsed as Templates. Object keys are not templates. Rendering
// rebuilds the value with every template rendered.
class CompiledValue {
 public:
  CompiledValue();  // the constant null

  // Every error of every string, each with its JSON pointer.
  static ExprResult<CompiledValue> compile(const Json& value);

  // The first error carries the JSON pointer of the failing string.
  ExprResult<Json> render(const EvalContext& ctx) const;
  bool is_constant() const;  // no expressions anywhere: renders as source()
  std::vector<ExprReference> references() const;
  bool references_root(std::string_view root) const;
  const Json& source() const;

 private:
  struct Impl;
  explicit CompiledValue(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sagaflow
