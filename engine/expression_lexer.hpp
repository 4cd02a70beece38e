// Internal to the expression language (engine/expression*.cpp): splits the
// text of one expression into tokens. A Lexer has a cursor, so it belongs to
// one parse on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/expression.hpp"

namespace sagaflow::detail {

enum class Tok {
  kIdent,
  kInt,
  kDouble,
  kString,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kDot,
  kComma,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kNot,
  kEnd,
  kError,  // a malformed token; it matches no rule, so every parser loop stops
};

struct Token {
  Tok kind = Tok::kEnd;
  std::size_t offset = 0;  // in the whole text
  std::size_t length = 0;
  std::string text;  // identifier name or decoded string
  std::int64_t int_value = 0;
  double double_value = 0;
};

class Lexer {
 public:
  // Tokenizes text[begin, end); offsets stay relative to the start of text.
  Lexer(std::string_view text, std::size_t begin, std::size_t end)
      : text_(text), pos_(begin), begin_(begin), end_(end) {}

  // After a malformed token, returns kError from then on; error() says why.
  Token next();
  const ExprError& error() const { return error_; }

 private:
  Token make(Tok kind, std::size_t start) const;
  Token fail(std::string message, std::size_t offset);
  Token lex_number();
  Token lex_string();
  std::optional<std::uint32_t> hex4();

  std::string_view text_;
  std::size_t pos_;
  std::size_t begin_;
  std::size_t end_;
  bool failed_ = false;
  ExprError error_;
};

}  // namespace sagaflow::detail
