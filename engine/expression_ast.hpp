// Internal to the expression language (engine/expression*.cpp): the syntax
// tree shared by the parser and the evaluator. Not for other modules; use
// engine/expression.hpp. Trees are immutable once built and shared between
// threads through shared_ptr<const ExprTree>.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expression.hpp"
#include "engine/json.hpp"

namespace sagaflow::detail {

enum class Func { kDefault, kConcat, kLower, kUpper, kNow, kLength, kContains, kString };
enum class BinOp { kEq, kNe, kLt, kLe, kGt, kGe, kAnd, kOr };

// `.name` and `['name']` are keys; `[3]` is an index.
struct Segment {
  bool is_index = false;
  bool bracketed = false;  // written as [...]; only affects how the path is shown
  std::string key;
  std::uint64_t index = 0;
};

struct Node {
  enum class Kind { kLiteral, kPath, kNot, kBinary, kCall };
  Kind kind = Kind::kLiteral;
  std::size_t offset = 0;  // of the literal, root, operator or function name

  Json literal;                             // kLiteral
  std::string root;                         // kPath
  std::vector<Segment> segments;            // kPath
  BinOp op = BinOp::kEq;                    // kBinary
  Func func = Func::kDefault;               // kCall
  std::vector<std::unique_ptr<Node>> kids;  // kNot: 1, kBinary: 2, kCall: the arguments
};

struct ExprTree {
  std::string source;  // the expression text alone
  std::unique_ptr<Node> root;
};

// Parses text[begin, end) as one expression; offsets in the tree and in
// errors are relative to the start of `text`.
ExprResult<std::shared_ptr<const ExprTree>> parse_expression(std::string_view text,
                                                             std::size_t begin, std::size_t end);

ExprResult<Json> evaluate_tree(const ExprTree& tree, const EvalContext& ctx);

// How a value looks inside a longer string, and in concat() / string().
std::string render_text(const Json& value);

// ISO-8601 UTC with milliseconds: 2026-12-04T15:37:44.123Z.
std::string format_utc(std::chrono::system_clock::time_point time);

// The path as written, e.g. steps.x.output.items[0]['a-b'].
std::string path_text(const Node& path);

void collect_references(const Node& node, std::vector<ExprReference>& out);

}  // namespace sagaflow::detail
