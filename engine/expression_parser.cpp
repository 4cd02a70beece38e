// Recursive-descent parser for one `${{ }}` expression.
// Grammar, loosest first:
//   or      := and ('||' and)*
//   and     := compare ('&&' compare)*
//   compare := unary (('=='|'!='|'<'|'<='|'>'|'>=') unary)*
//   unary   := '!' unary | primary
//   primary := number | string | true | false | null | '(' or ')'
//            | name '(' [or (',' or)*] ')' | root ('.' name | '[' (int|string) ']')*
#include <algorithm>
#include <optional>

#include "engine/expression_ast.hpp"
#include "engine/expression_lexer.hpp"

namespace sagaflow::detail {
namespace {

// Deep enough for any real condition, shallow enough that recursion cannot
// exhaust the stack on hostile input.
constexpr int kMaxDepth = 64;

struct FuncInfo {
  std::string_view name;
  Func func;
  std::size_t min_args;
  std::size_t max_args;  // SIZE_MAX: variadic
};

constexpr FuncInfo kFuncs[] = {
    {"default", Func::kDefault, 2, 2},   {"concat", Func::kConcat, 2, SIZE_MAX},
    {"lower", Func::kLower, 1, 1},       {"upper", Func::kUpper, 1, 1},
    {"now", Func::kNow, 0, 0},           {"length", Func::kLength, 1, 1},
    {"contains", Func::kContains, 2, 2}, {"string", Func::kString, 1, 1},
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "; did you mean 'x'?" for the closest candidate, else "". A third of the
// word may be wrong (at least one letter), so 'foo' does not suggest 'now'.
template <typename Range, typename NameOf>
std::string did_you_mean(std::string_view word, const Range& candidates, NameOf name_of) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(word, name_of(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = name_of(candidate);
    }
  }
  return best.empty() ? "" : "; did you mean '" + std::string(best) + "'?";
}

template <typename Range, typename NameOf>
std::string join_names(const Range& items, NameOf name_of) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += name_of(item);
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, std::size_t begin, std::size_t end)
      : text_(text), begin_(begin), lexer_(text, begin, end) {}

  std::unique_ptr<Node> parse() {
    advance();
    if (cur_.kind == Tok::kEnd) return fail("empty expression", begin_);
    auto node = parse_or(0);
    if (cur_.kind != Tok::kEnd) fail("unexpected " + describe(cur_) + " after the expression");
    if (failed_) return nullptr;
    return node;
  }

  const ExprError& error() const { return error_; }

 private:
  // Records the first error only; later ones are consequences of it.
  std::nullptr_t fail(std::string message, std::optional<std::size_t> offset = std::nullopt) {
    if (!failed_) {
      failed_ = true;
      error_ = ExprError{std::move(message), offset.value_or(cur_.offset), ""};
    }
    return nullptr;
  }

  std::string describe(const Token& token) const {
    if (token.kind == Tok::kEnd) return "end of expression";
    std::string spelling(text_.substr(token.offset, token.length));
    return token.kind == Tok::kString ? spelling : "'" + spelling + "'";  // already quoted
  }

  void advance() {
    cur_ = lexer_.next();
    if (cur_.kind == Tok::kError) fail(lexer_.error().message, lexer_.error().offset);
  }

  static std::unique_ptr<Node> make(Node::Kind kind, std::size_t offset) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->offset = offset;
    return node;
  }

  std::unique_ptr<Node> binary(BinOp op, std::size_t offset, std::unique_ptr<Node> left,
                               std::unique_ptr<Node> right) {
    if (!left || !right) return nullptr;
    auto node = make(Node::Kind::kBinary, offset);
    node->op = op;
    node->kids.push_back(std::move(left));
    node->kids.push_back(std::move(right));
    return node;
  }

  std::unique_ptr<Node> parse_or(int depth) {
    if (depth > kMaxDepth) return fail("expression nested too deeply");
    auto left = parse_and(depth);
    while (cur_.kind == Tok::kOr) {
      std::size_t offset = cur_.offset;
      advance();
      left = binary(BinOp::kOr, offset, std::move(left), parse_and(depth));
    }
    return left;
  }

  std::unique_ptr<Node> parse_and(int depth) {
    auto left = parse_compare(depth);
    while (cur_.kind == Tok::kAnd) {
      std::size_t offset = cur_.offset;
      advance();
      left = binary(BinOp::kAnd, offset, std::move(left), parse_compare(depth));
    }
    return left;
  }

  static std::optional<BinOp> comparison(Tok kind) {
    switch (kind) {
      case Tok::kEq:
        return BinOp::kEq;
      case Tok::kNe:
        return BinOp::kNe;
      case Tok::kLt:
        return BinOp::kLt;
      case Tok::kLe:
        return BinOp::kLe;
      case Tok::kGt:
        return BinOp::kGt;
      case Tok::kGe:
        return BinOp::kGe;
      default:
        return std::nullopt;
    }
  }

  std::unique_ptr<Node> parse_compare(int depth) {
    auto left = parse_unary(depth);
    while (std::optional<BinOp> op = comparison(cur_.kind)) {
      std::size_t offset = cur_.offset;
      advance();
      left = binary(*op, offset, std::move(left), parse_unary(depth));
    }
    return left;
  }

  std::unique_ptr<Node> parse_unary(int depth) {
    if (cur_.kind != Tok::kNot) return parse_primary(depth);
    if (depth > kMaxDepth) return fail("expression nested too deeply");
    auto node = make(Node::Kind::kNot, cur_.offset);
    advance();
    auto operand = parse_unary(depth + 1);
    if (!operand) return nullptr;
    node->kids.push_back(std::move(operand));
    return node;
  }

  std::unique_ptr<Node> literal(Json value) {
    auto node = make(Node::Kind::kLiteral, cur_.offset);
    node->literal = std::move(value);
    advance();
    return node;
  }

  std::unique_ptr<Node> parse_primary(int depth) {
    switch (cur_.kind) {
      case Tok::kInt:
        return literal(cur_.int_value);
      case Tok::kDouble:
        return literal(cur_.double_value);
      case Tok::kString:
        return literal(cur_.text);
      case Tok::kLParen: {
        advance();
        auto inner = parse_or(depth + 1);
        if (cur_.kind != Tok::kRParen) return fail("expected ')', found " + describe(cur_));
        advance();
        return inner;
      }
      case Tok::kIdent:
        break;
      case Tok::kError:
        return nullptr;
      default:
        return fail("expected a value, found " + describe(cur_));
    }
    std::string name = cur_.text;
    std::size_t offset = cur_.offset;
    advance();
    if (cur_.kind == Tok::kLParen) return parse_call(name, offset, depth);
    if (name == "true" || name == "false" || name == "null") {
      auto node = make(Node::Kind::kLiteral, offset);
      node->literal = name == "null" ? Json(nullptr) : Json(name == "true");
      return node;
    }
    return parse_path(std::move(name), offset);
  }

  std::unique_ptr<Node> parse_call(const std::string& name, std::size_t offset, int depth) {
    const FuncInfo* info = nullptr;
    for (const FuncInfo& f : kFuncs) {
      if (f.name == name) info = &f;
    }
    auto func_name = [](const FuncInfo& f) { return f.name; };
    if (!info) {
      return fail("unknown function '" + name + "'; expected one of " +
                      join_names(kFuncs, func_name) + did_you_mean(name, kFuncs, func_name),
                  offset);
    }
    auto node = make(Node::Kind::kCall, offset);
    node->func = info->func;
    advance();  // '('
    if (cur_.kind != Tok::kRParen) {
      while (true) {
        auto arg = parse_or(depth + 1);
        if (!arg) return nullptr;
        node->kids.push_back(std::move(arg));
        if (cur_.kind == Tok::kRParen) break;
        if (cur_.kind != Tok::kComma) {
          return fail("expected ',' or ')' in " + name + "(), found " + describe(cur_));
        }
        advance();
      }
    }
    advance();  // ')'
    std::size_t got = node->kids.size();
    if (got < info->min_args || got > info->max_args) {
      std::string wanted;
      if (info->max_args == SIZE_MAX) {
        wanted = "at least " + std::to_string(info->min_args) + " arguments";
      } else if (info->max_args == 0) {
        wanted = "no arguments";
      } else {
        wanted =
            std::to_string(info->max_args) + (info->max_args == 1 ? " argument" : " arguments");
      }
      return fail(name + "() takes " + wanted + ", got " + std::to_string(got), offset);
    }
    return node;
  }

  std::unique_ptr<Node> parse_path(std::string root, std::size_t offset) {
    auto same = [](std::string_view r) { return r; };
    if (std::find(std::begin(kExprRoots), std::end(kExprRoots), root) == std::end(kExprRoots)) {
      return fail("unknown root '" + root + "'; expected one of " + join_names(kExprRoots, same) +
                      did_you_mean(root, kExprRoots, same),
                  offset);
    }
    auto node = make(Node::Kind::kPath, offset);
    node->root = std::move(root);
    while (cur_.kind == Tok::kDot || cur_.kind == Tok::kLBracket) {
      if (node->root == "now") return fail("'now' has no fields");
      Segment segment;
      if (cur_.kind == Tok::kDot) {
        advance();
        if (cur_.kind != Tok::kIdent) {
          return fail("expected a name after '.', found " + describe(cur_));
        }
        segment.key = cur_.text;
      } else {
        segment.bracketed = true;
        advance();
        if (cur_.kind == Tok::kString) {
          segment.key = cur_.text;
        } else if (cur_.kind == Tok::kInt && cur_.int_value >= 0) {
          segment.is_index = true;
          segment.index = static_cast<std::uint64_t>(cur_.int_value);
        } else if (cur_.kind == Tok::kInt) {
          return fail("array index must not be negative");
        } else {
          return fail("expected an integer or a string inside [], found " + describe(cur_));
        }
        advance();
        if (cur_.kind != Tok::kRBracket) return fail("expected ']', found " + describe(cur_));
      }
      advance();
      node->segments.push_back(std::move(segment));
    }
    return node;
  }

  std::string_view text_;
  std::size_t begin_;
  Lexer lexer_;
  Token cur_;
  bool failed_ = false;
  ExprError error_;
};

}  // namespace

ExprResult<std::shared_ptr<const ExprTree>> parse_expression(std::string_view text,
                                                             std::size_t begin, std::size_t end) {
  Parser parser(text, begin, end);
  std::unique_ptr<Node> root = parser.parse();
  if (!root) return ExprResult<std::shared_ptr<const ExprTree>>::failure(parser.error());
  auto tree = std::make_shared<ExprTree>();
  tree->source = std::string(text.substr(begin, end - begin));
  tree->root = std::move(root);
  return ExprResult<std::shared_ptr<const ExprTree>>::success(std::move(tree));
}

}  // namespace sagaflow::detail
