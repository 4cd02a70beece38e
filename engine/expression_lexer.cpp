// Tokens of the expression language: names, int64 and double numbers,
// single- or double-quoted strings with JSON-style backslash escapes (plus
// \'), and the operators ( ) [ ] . , == != < <= > >= && || !.
#include "engine/expression_lexer.hpp"

#include <charconv>
#include <cstdio>

namespace sagaflow::detail {
namespace {

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

Token Lexer::make(Tok kind, std::size_t start) const {
  Token token;
  token.kind = kind;
  token.offset = start;
  token.length = pos_ - start;
  return token;
}

Token Lexer::fail(std::string message, std::size_t offset) {
  failed_ = true;
  error_ = ExprError{std::move(message), offset, ""};
  Token token;
  token.kind = Tok::kError;
  token.offset = offset;
  return token;
}

Token Lexer::next() {
  if (failed_) return fail(error_.message, error_.offset);
  while (pos_ < end_ && is_space(text_[pos_])) ++pos_;
  std::size_t start = pos_;
  if (pos_ >= end_) return make(Tok::kEnd, end_);
  char c = text_[pos_];
  char next = pos_ + 1 < end_ ? text_[pos_ + 1] : '\0';
  if (is_ident_start(c)) {
    while (pos_ < end_ && is_ident_char(text_[pos_])) ++pos_;
    Token token = make(Tok::kIdent, start);
    token.text = std::string(text_.substr(start, pos_ - start));
    return token;
  }
  if (is_digit(c) || (c == '-' && is_digit(next))) return lex_number();
  if (c == '\'' || c == '"') return lex_string();
  auto take = [&](Tok kind, std::size_t length) {
    pos_ += length;
    return make(kind, start);
  };
  switch (c) {
    case '(':
      return take(Tok::kLParen, 1);
    case ')':
      return take(Tok::kRParen, 1);
    case '[':
      return take(Tok::kLBracket, 1);
    case ']':
      return take(Tok::kRBracket, 1);
    case '.':
      return take(Tok::kDot, 1);
    case ',':
      return take(Tok::kComma, 1);
    case '!':
      return next == '=' ? take(Tok::kNe, 2) : take(Tok::kNot, 1);
    case '<':
      return next == '=' ? take(Tok::kLe, 2) : take(Tok::kLt, 1);
    case '>':
      return next == '=' ? take(Tok::kGe, 2) : take(Tok::kGt, 1);
    case '=':
      if (next == '=') return take(Tok::kEq, 2);
      return fail("unexpected '='; use '==' to compare", start);
    case '&':
      if (next == '&') return take(Tok::kAnd, 2);
      return fail("unexpected '&'; use '&&'", start);
    case '|':
      if (next == '|') return take(Tok::kOr, 2);
      return fail("unexpected '|'; use '||'", start);
    case '-':
      // Most likely a key like steps.create-org: say how to write it.
      if (start > begin_ && is_ident_char(text_[start - 1])) {
        return fail("unexpected '-'; write keys containing '-' as ['key-with-dash']", start);
      }
      break;
    default:
      break;
  }
  auto byte = static_cast<unsigned char>(c);
  char buf[48];
  if (byte >= 0x20 && byte < 0x7F) {
    std::snprintf(buf, sizeof buf, "unexpected character '%c'", c);
  } else {
    std::snprintf(buf, sizeof buf, "unexpected byte 0x%02X", byte);
  }
  return fail(buf, start);
}

Token Lexer::lex_number() {
  std::size_t start = pos_;
  bool is_double = false;
  if (text_[pos_] == '-') ++pos_;
  auto digits = [&] {
    while (pos_ < end_ && is_digit(text_[pos_])) ++pos_;
  };
  digits();
  if (pos_ + 1 < end_ && text_[pos_] == '.' && is_digit(text_[pos_ + 1])) {
    is_double = true;
    ++pos_;
    digits();
  }
  if (pos_ < end_ && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    std::size_t sign = pos_ + 1 < end_ && (text_[pos_ + 1] == '+' || text_[pos_ + 1] == '-');
    if (pos_ + 1 + sign < end_ && is_digit(text_[pos_ + 1 + sign])) {
      is_double = true;
      pos_ += 1 + sign;
      digits();
    }
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + pos_;
  Token token = make(is_double ? Tok::kDouble : Tok::kInt, start);
  auto [ptr, ec] = is_double ? std::from_chars(first, last, token.double_value)
                             : std::from_chars(first, last, token.int_value);
  if (ec != std::errc() || ptr != last) {
    return fail(is_double ? "number out of range" : "integer out of range", start);
  }
  return token;
}

Token Lexer::lex_string() {
  std::size_t start = pos_;
  char quote = text_[pos_++];
  std::string out;
  while (pos_ < end_ && text_[pos_] != quote) {
    char c = text_[pos_];
    if (c != '\\') {
      out += c;
      ++pos_;
      continue;
    }
    std::size_t escape = pos_;
    if (pos_ + 1 >= end_) return fail("unterminated string literal", start);
    char e = text_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case '/':
        out += '/';
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case 'u': {
        std::optional<std::uint32_t> cp = hex4();
        if (cp && *cp >= 0xD800 && *cp <= 0xDBFF) {  // first half of a surrogate pair
          std::optional<std::uint32_t> low;
          if (pos_ + 1 < end_ && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
            pos_ += 2;
            low = hex4();
          }
          cp = low && *low >= 0xDC00 && *low <= 0xDFFF
                   ? std::optional(0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00))
                   : std::nullopt;
        } else if (cp && *cp >= 0xDC00 && *cp <= 0xDFFF) {
          cp = std::nullopt;
        }
        if (!cp) return fail("invalid \\u escape", escape);
        append_utf8(out, *cp);
        break;
      }
      default:
        if (static_cast<unsigned char>(e) >= 0x20 && static_cast<unsigned char>(e) < 0x7F) {
          return fail(std::string("unknown escape '\\") + e + "'", escape);
        }
        return fail("unknown escape", escape);
    }
  }
  if (pos_ >= end_) return fail("unterminated string literal", start);
  ++pos_;  // the closing quote
  Token token = make(Tok::kString, start);
  token.text = std::move(out);
  return token;
}

std::optional<std::uint32_t> Lexer::hex4() {
  if (pos_ + 4 > end_) return std::nullopt;
  std::uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, value, 16);
  if (ec != std::errc() || ptr != text_.data() + pos_ + 4) return std::nullopt;
  pos_ += 4;
  return value;
}

}  // namespace sagaflow::detail
