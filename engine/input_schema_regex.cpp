// Regular expressions of `pattern` and `patternProperties`: ECMAScript syntax
// through std::wregex, compiled once, matched as an unanchored search over
// code points. A pre-scan names the common mistakes more precisely than
// std::regex_error does.
#include <regex>
#include <string>
#include <string_view>

#include "engine/input_schema_internal.hpp"

namespace sagaflow::input_schema_detail {
namespace {

#if defined(__GLIBCXX__)
// libstdc++'s breadth-first matcher: time linear in the input and no
// recursion per character, so a long input cannot overflow the stack. It
// refuses back-references, which are reported as unsupported.
constexpr auto kRegexFlags = std::regex_constants::ECMAScript | std::regex_constants::__polynomial;
#else
constexpr auto kRegexFlags = std::regex_constants::ECMAScript;
#endif

std::string regex_error_text(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  switch (code) {
    case rc::error_ctype:
    case rc::error_collate:
      return "invalid character class";
    case rc::error_escape:
      return "invalid escape sequence";
    case rc::error_backref:
      return "invalid back-reference";
    case rc::error_brack:
      return "invalid '[...]'";
    case rc::error_paren:
      return "invalid group";
    case rc::error_brace:
    case rc::error_badbrace:
      return "invalid repetition '{...}'";
    case rc::error_range:
      return "invalid character range";
    case rc::error_badrepeat:
      return "nothing to repeat";
    case rc::error_complexity:
      return "back-references are not supported";
    default:
      return "the pattern is too large or complex";
  }
}

// The length of a `{n}`, `{n,}` or `{n,m}` quantifier starting at p[i], or 0.
std::size_t brace_quantifier(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  const auto digits = [&] {
    const std::size_t start = j;
    while (j < p.size() && p[j] >= '0' && p[j] <= '9') ++j;
    return j > start;
  };
  if (!digits()) return 0;
  if (j < p.size() && p[j] == ',') {
    ++j;
    digits();
  }
  return j < p.size() && p[j] == '}' ? j + 1 - i : 0;
}

std::optional<std::string> prescan(std::string_view p) {
  enum class Prev { Nothing, Atom, Quantifier, Lazy } prev = Prev::Nothing;
  int depth = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (++i == p.size()) return "'\\' at the end of the pattern";
      if (p[i] == 'p' || p[i] == 'P')
        return "Unicode property escapes (\\p{...}) are not supported";
      prev = Prev::Atom;
    } else if (c == '[') {
      std::size_t j = i + 1;
      while (j < p.size() && p[j] != ']') j += p[j] == '\\' ? 2 : 1;
      if (j >= p.size()) return "unclosed '['";
      i = j;
      prev = Prev::Atom;
    } else if (c == '(') {
      if (i + 1 < p.size() && p[i + 1] == '?') {
        const char kind = i + 2 < p.size() ? p[i + 2] : ')';
        if (kind != ':' && kind != '=' && kind != '!') {
          return "unsupported group '(?" + std::string(1, kind) +
                 "'; only (?:...), (?=...) and (?!...) are supported";
        }
        i += 2;
      }
      ++depth;
      prev = Prev::Nothing;
    } else if (c == ')') {
      if (depth-- == 0) return "unmatched ')'";
      prev = Prev::Atom;
    } else if (c == '|' || c == '^' || c == '$') {
      prev = Prev::Nothing;
    } else if (c == '*' || c == '+' || c == '?' || (c == '{' && brace_quantifier(p, i) > 0)) {
      if (c == '?' && prev == Prev::Quantifier) {
        prev = Prev::Lazy;
        continue;
      }
      if (prev != Prev::Atom) return "nothing to repeat before '" + std::string(1, c) + "'";
      if (c == '{') i += brace_quantifier(p, i) - 1;
      prev = Prev::Quantifier;
    } else {
      prev = Prev::Atom;
    }
  }
  if (depth > 0) return "unclosed '('";
  return std::nullopt;
}

}  // namespace

std::optional<Regex> compile_regex(const std::string& source, std::string& error) {
  if (auto mistake = prescan(source)) {
    error = std::move(*mistake);
    return std::nullopt;
  }
  try {
    return Regex{source, std::wregex(utf8_to_wide(source), kRegexFlags)};
  } catch (const std::regex_error& e) {
    error = regex_error_text(e.code());
    return std::nullopt;
  }
}

bool regex_search(const Regex& regex, const std::string& text) {
  try {
    return std::regex_search(utf8_to_wide(text), regex.re);
  } catch (const std::regex_error&) {  // the matcher gave up (complexity): no match found
    return false;
  }
}

}  // namespace sagaflow::input_schema_detail
