// Walks the source of one scalar alongside its decoded value, following the
// YAML rules that make the two differ: quotes, escapes, line folding and
// block indentation. Any disagreement gives up rather than guess.
#include "engine/loader_scalar_layout.hpp"

#include <cstdint>

namespace sagaflow::loader {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::string Utf8(uint32_t code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

// The bytes a double-quoted escape stands for and how many source characters
// it takes (backslash included), given the text just after the backslash;
// nullopt if unknown.
std::optional<std::pair<std::string, size_t>> DecodeEscape(const std::string& rest) {
  if (rest.empty()) return std::nullopt;
  const char c = rest[0];
  static const std::string kFrom = "0abtnvfre \"/\\\t";
  static const std::string kTo = std::string("\0\a\b\t\n\v\f\r\x1b \"/\\\t", 14);
  if (const size_t i = kFrom.find(c); i != std::string::npos) return {{kTo.substr(i, 1), 2}};
  if (c == 'N') return {{Utf8(0x85), 2}};
  if (c == '_') return {{Utf8(0xA0), 2}};
  if (c == 'L') return {{Utf8(0x2028), 2}};
  if (c == 'P') return {{Utf8(0x2029), 2}};
  const size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
  if (digits == 0 || rest.size() < 1 + digits) return std::nullopt;
  uint32_t code = 0;
  for (size_t i = 1; i <= digits; ++i) {
    const char h = rest[i];
    const int v = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
    if (v < 0) return std::nullopt;
    code = code * 16 + static_cast<uint32_t>(v);
  }
  return {{Utf8(code), 2 + digits}};
}

class Walker {
 public:
  Walker(const std::vector<std::string>& lines, SourceLocation start, const std::string& value)
      : lines_(lines), line_(start.line - 1), col_(start.column - 1), value_(value) {}

  std::optional<ScalarLayout> Run() {
    if (line_ < 0 || line_ >= static_cast<int>(lines_.size()) || col_ < 0 ||
        col_ >= static_cast<int>(Line().size())) {
      return std::nullopt;
    }
    // A tag or anchor may come first (`!!str "x"`, `&a x`); the mark is there.
    while (Line()[col_] == '!' || Line()[col_] == '&') {
      while (col_ < static_cast<int>(Line().size()) && !IsBlank(Line()[col_])) ++col_;
      SkipIndent();
      if (col_ >= static_cast<int>(Line().size())) return std::nullopt;
    }
    const char first = Line()[col_];
    bool ok = false;
    if (first == '|' || first == '>') {
      ok = Block(first == '>');
    } else if (first == '"' || first == '\'') {
      ++col_;
      ok = Flow(first) && (!layout_.closed || FindClosingQuote(first));
    } else {
      ok = Flow(0);
    }
    if (!ok) return std::nullopt;
    return layout_;
  }

 private:
  const std::string& Line() const { return lines_[line_]; }
  bool RestBlank() const {
    for (size_t i = col_; i < Line().size(); ++i) {
      if (!IsBlank(Line()[i])) return false;
    }
    return true;
  }
  bool LineBlank(int line) const {
    for (char c : lines_[line]) {
      if (!IsBlank(c)) return false;
    }
    return true;
  }
  // Records that value bytes [i, i + n) were written at the cursor.
  void Mark(size_t n) {
    for (size_t k = 0; k < n; ++k) layout_.at.push_back({line_ + 1, col_ + 1});
  }
  size_t Done() const { return layout_.at.size(); }
  bool Next(std::string_view expected) {
    if (value_.compare(Done(), expected.size(), expected) != 0) return false;
    Mark(expected.size());
    return true;
  }
  void SkipIndent() {
    while (col_ < static_cast<int>(Line().size()) && IsBlank(Line()[col_])) ++col_;
  }

  // Plain (quote == 0), single- or double-quoted: a line break folds into a
  // space, or into one newline per empty line that follows it.
  bool Flow(char quote) {
    while (Done() < value_.size()) {
      if (RestBlank()) {
        int empty = 0;
        const int from = line_;
        while (from + empty + 1 < static_cast<int>(lines_.size()) && LineBlank(from + empty + 1)) {
          ++empty;
        }
        if (from + empty + 1 >= static_cast<int>(lines_.size())) {
          // The file ends inside the value: only a quoted string that was
          // never closed gets here (yaml-cpp folds the last line break in).
          if (quote == 0) return false;
          Mark(value_.size() - Done());
          layout_.closed = false;
          return true;
        }
        if (!Next(empty == 0 ? std::string(" ") : std::string(empty, '\n'))) return false;
        line_ = from + empty + 1;
        col_ = 0;
        SkipIndent();
        continue;
      }
      const char c = Line()[col_];
      if (quote == '\'' && c == '\'') {
        if (col_ + 1 >= static_cast<int>(Line().size()) || Line()[col_ + 1] != '\'') return false;
        if (!Next("'")) return false;
        col_ += 2;
        continue;
      }
      if (quote == '"' && c == '"') return false;
      if (quote == '"' && c == '\\') {
        if (col_ + 1 == static_cast<int>(Line().size())) {  // escaped line break
          if (line_ + 1 >= static_cast<int>(lines_.size())) return false;
          ++line_;
          col_ = 0;
          SkipIndent();
          continue;
        }
        const auto escape = DecodeEscape(Line().substr(col_ + 1));
        if (!escape || !Next(escape->first)) return false;
        col_ += static_cast<int>(escape->second);
        continue;
      }
      if (!Next(std::string_view(&c, 1))) return false;
      ++col_;
    }
    return true;
  }

  // After a quoted value: its closing quote, or the end of the file when
  // yaml-cpp accepted a string that was never closed.
  bool FindClosingQuote(char quote) {
    while (true) {
      SkipIndent();
      if (col_ < static_cast<int>(Line().size())) return Line()[col_] == quote;
      if (line_ + 1 >= static_cast<int>(lines_.size())) {
        layout_.closed = false;
        return true;
      }
      ++line_;
      col_ = 0;
    }
  }

  // `|` keeps line breaks; `>` folds them, which this walk accepts as a
  // space, a newline or nothing, since only content bytes matter here.
  bool Block(bool folded) {
    for (++col_; col_ < static_cast<int>(Line().size()); ++col_) {
      const char c = Line()[col_];
      if (c >= '1' && c <= '9') return false;  // explicit indentation: relative to the parent
      if (c != '-' && c != '+') break;
    }
    int indent = -1;
    for (int line = line_ + 1; line < static_cast<int>(lines_.size()) && Done() < value_.size();
         ++line) {
      line_ = line;
      const std::string& text = Line();
      if (indent < 0 && !LineBlank(line)) {
        indent = 0;
        while (indent < static_cast<int>(text.size()) && text[indent] == ' ') ++indent;
      }
      const int from = indent < 0 ? 0 : indent;
      for (col_ = from; col_ < static_cast<int>(text.size()) && Done() < value_.size(); ++col_) {
        if (text[col_] == '\r' && col_ + 1 == static_cast<int>(text.size())) break;
        if (!Next(std::string_view(&text[col_], 1))) return false;
      }
      if (Done() == value_.size()) break;
      const char next = value_[Done()];
      if (next == '\n' || (folded && next == ' ')) {
        Mark(1);
      } else if (!folded) {
        return false;
      }
    }
    return Done() == value_.size();
  }

  const std::vector<std::string>& lines_;
  int line_;
  int col_;
  const std::string& value_;
  ScalarLayout layout_;
};

}  // namespace

std::optional<ScalarLayout> LayOutScalar(const std::vector<std::string>& lines,
                                         SourceLocation start, const std::string& value) {
  return Walker(lines, start, value).Run();
}

}  // namespace sagaflow::loader
