// The YAML document as a whole, before its meaning is read: yaml-cpp parse
// failures turned into messages that point at the cause (the bracket or
// quote that was never closed, a tab in the indentation) rather than where
// the parser gave up, and the problems yaml-cpp lets through (a quoted
// string that runs to the end of the file, duplicate keys).
#include <algorithm>
#include <cstdio>
#include <optional>

#include "engine/loader_context.hpp"
#include "engine/loader_parts.hpp"
#include "engine/loader_scalar_layout.hpp"
#include "engine/yaml_value.hpp"

namespace sagaflow::loader {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

struct Opener {
  char bracket;
  SourceLocation at;
};

// What is open at `stop`: flow brackets, or a quoted string that never
// closes. Follows YAML's tokens roughly: quotes and brackets only count where
// a value may start, comments and block scalars are skipped.
struct FlowScan {
  const std::vector<std::string>& lines;
  SourceLocation stop;
  std::vector<Opener> open;
  std::optional<SourceLocation> unclosed_quote;

  bool Reached(size_t line, size_t col) const {
    return static_cast<int>(line) + 1 > stop.line ||
           (static_cast<int>(line) + 1 == stop.line && static_cast<int>(col) + 1 >= stop.column);
  }

  // From the opening quote at (line, col): moves past the closing quote.
  // False when the file ends first (or the stop comes first).
  bool SkipQuoted(size_t& line, size_t& col) {
    const char quote = lines[line][col];
    const SourceLocation at{static_cast<int>(line) + 1, static_cast<int>(col) + 1};
    for (++col;; ++col) {
      while (col >= lines[line].size()) {
        if (++line >= lines.size()) {
          unclosed_quote = at;
          return false;
        }
        col = 0;
      }
      if (Reached(line, col)) return false;
      const std::string& text = lines[line];
      if (quote == '"' && text[col] == '\\') {
        ++col;
      } else if (text[col] == quote) {
        if (quote == '\'' && col + 1 < text.size() && text[col + 1] == '\'') {
          ++col;
        } else {
          return true;
        }
      }
    }
  }

  void Run() {
    int block_indent = -1;  // inside a block scalar: the indentation of its key
    for (size_t line = 0; line < lines.size(); ++line) {
      const std::string* text = &lines[line];
      const size_t indent = text->find_first_not_of(" ");
      const bool blank = text->find_first_not_of(" \t\r") == std::string::npos;
      if (block_indent >= 0) {
        if (blank || static_cast<int>(indent) > block_indent) continue;
        block_indent = -1;
      }
      bool value_start = true;
      for (size_t col = 0; col < text->size(); ++col) {
        if (Reached(line, col)) return;
        const char c = (*text)[col];
        const bool before_blank = col + 1 >= text->size() || IsBlank((*text)[col + 1]);
        if (IsBlank(c)) continue;
        if (c == '#' && (col == 0 || IsBlank((*text)[col - 1]))) break;
        if (value_start && (c == '"' || c == '\'')) {
          if (!SkipQuoted(line, col)) return;
          text = &lines[line];
          value_start = false;
        } else if (c == '[' || c == '{') {
          if (open.empty() && !value_start) {
            value_start = false;  // inside a plain scalar
          } else {
            open.push_back({c, {static_cast<int>(line) + 1, static_cast<int>(col) + 1}});
            value_start = true;
          }
        } else if (!open.empty() && (c == ']' || c == '}')) {
          open.pop_back();
          value_start = false;
        } else if (!open.empty() && c == ',') {
          value_start = true;
        } else if (c == ':' && (before_blank || !open.empty())) {
          value_start = true;
        } else if (open.empty() && value_start && (c == '|' || c == '>')) {
          block_indent = static_cast<int>(indent);
          break;
        } else if (open.empty() && (c == '-' || c == '?') && before_blank) {
          value_start = true;
        } else {
          value_start = false;
        }
      }
    }
  }
};

// The offset of the first byte that breaks UTF-8, or npos.
size_t InvalidUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const size_t length = byte < 0x80           ? 1
                          : (byte >> 5) == 0x6  ? 2
                          : (byte >> 4) == 0xE  ? 3
                          : (byte >> 3) == 0x1E ? 4
                                                : 0;
    if (length == 0 || i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return i;
    }
    i += length;
  }
  return std::string::npos;
}

std::string Closer(char bracket) {
  return bracket == '{' ? "}" : "]";
}

void CheckDuplicateKeys(Context& ctx, const YAML::Node& node, const std::string& path) {
  if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      CheckDuplicateKeys(ctx, node[i], path + "[" + std::to_string(i) + "]");
    }
    return;
  }
  if (!node.IsMap()) return;
  std::vector<YAML::Node> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) continue;
    const std::string where = JoinPath(path, key.Scalar());
    const auto first = std::find_if(seen.begin(), seen.end(), [&](const YAML::Node& other) {
      return other.Scalar() == key.Scalar();
    });
    if (first != seen.end()) {
      ctx.Error(key, where,
                "duplicate key (first on line " + std::to_string(LocationOf(*first).line) + ")");
      continue;
    }
    seen.push_back(key);
    CheckDuplicateKeys(ctx, it->second, where);
  }
}

// yaml-cpp reads a quoted string that is never closed up to the end of the
// file without complaint; the rest of the file then vanishes into it.
bool CheckQuotesClosed(Context& ctx, const YAML::Node& node) {
  if (node.IsMap() || node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const bool ok = node.IsMap()
                          ? CheckQuotesClosed(ctx, it->first) && CheckQuotesClosed(ctx, it->second)
                          : CheckQuotesClosed(ctx, *it);
      if (!ok) return false;
    }
    return true;
  }
  if (!node.IsScalar()) return true;
  // The file is valid UTF-8, but yaml-cpp decodes the escapes \N and \_ to
  // single Latin-1 bytes, which no JSON value can hold.
  if (InvalidUtf8(node.Scalar()) != std::string::npos) {
    ctx.Error(node, "",
              "YAML syntax: this string decodes to invalid UTF-8; write \\u0085 for \\N "
              "and \\u00a0 for \\_");
    return false;
  }
  const auto layout = LayOutScalar(ctx.lines, LocationOf(node), node.Scalar());
  if (!layout || layout->closed) return true;
  ctx.Error(node, "", "YAML syntax: this quoted string is never closed");
  return false;
}

}  // namespace

void ReportSyntaxError(Context& ctx, const YAML::Exception& error) {
  const SourceLocation mark{error.mark.line + 1, error.mark.column + 1};
  const std::string& message = error.msg;
  auto report = [&](SourceLocation at, const std::string& text) {
    ctx.diagnostics.Error(at, "YAML syntax: " + text);
  };
  if (mark.line >= 1 && mark.line <= static_cast<int>(ctx.lines.size())) {
    const std::string& text = ctx.lines[mark.line - 1];
    const size_t content = text.find_first_not_of(" \t");
    const size_t tab = text.find('\t');
    if (tab != std::string::npos && (content == std::string::npos || tab < content)) {
      return report({mark.line, static_cast<int>(tab) + 1},
                    "a tab in the indentation; YAML indents with spaces only");
    }
  }
  FlowScan scan{ctx.lines, mark, {}, std::nullopt};
  scan.Run();
  if (scan.unclosed_quote)
    return report(*scan.unclosed_quote, "this quoted string is never closed");
  const bool flow_end_missing =
      message == YAML::ErrorMsg::END_OF_MAP_FLOW || message == YAML::ErrorMsg::END_OF_SEQ_FLOW;
  if (flow_end_missing && !scan.open.empty()) {
    const Opener& opener = scan.open.back();
    return report(opener.at, "this '" + std::string(1, opener.bracket) +
                                 "' is never closed with a matching '" + Closer(opener.bracket) +
                                 "'");
  }
  if (message == YAML::ErrorMsg::FLOW_END && !scan.open.empty()) {
    const Opener& opener = scan.open.back();
    return report(mark, "this does not close the '" + std::string(1, opener.bracket) +
                            "' on line " + std::to_string(opener.at.line) + ", column " +
                            std::to_string(opener.at.column) + "; expected '" +
                            Closer(opener.bracket) + "'");
  }
  if (message == YAML::ErrorMsg::MAP_VALUE) {
    return report(mark,
                  "unexpected ':' here; check this line's indentation, or quote a value that "
                  "contains ': '");
  }
  if (message == YAML::ErrorMsg::END_OF_MAP || message == YAML::ErrorMsg::END_OF_SEQ ||
      message == YAML::ErrorMsg::BLOCK_ENTRY) {
    return report(mark, message + "; check this line's indentation");
  }
  report(mark, message);
}

bool CheckEncoding(Context& ctx, const std::string& text) {
  const size_t bad = InvalidUtf8(text);
  if (bad == std::string::npos) return true;
  const size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  const size_t column = line_start == std::string::npos || bad == 0 ? bad : bad - line_start - 1;
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n')) + 1;
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
  ctx.diagnostics.Error({line, static_cast<int>(column) + 1},
                        std::string("the file is not valid UTF-8 (byte ") + hex + ")");
  return false;
}

bool CheckSingleDocument(Context& ctx) {
  // Found in the text: yaml-cpp's LoadAll can loop for ever on broken input.
  // A line starting `---` or `...` is a document marker (YAML forbids them
  // inside scalars); after content, any more content is a second document.
  auto marker = [](const std::string& line, const char* mark) {
    return line.rfind(mark, 0) == 0 && (line.size() == 3 || IsBlank(line[3]));
  };
  auto has_content = [](const std::string& text) {
    const size_t first = text.find_first_not_of(" \t\r");
    return first != std::string::npos && text[first] != '#';
  };
  bool content = false;
  int separator = 0;  // line of the marker that ended the content so far
  for (size_t i = 0; i < ctx.lines.size(); ++i) {
    const std::string& line = ctx.lines[i];
    const bool start = marker(line, "---");
    if (start || marker(line, "...")) {
      if (content && separator == 0) separator = static_cast<int>(i) + 1;
      if (!start || !has_content(line.substr(3))) continue;
    }
    if (!has_content(line)) continue;
    if (separator != 0) {
      ctx.diagnostics.Error(
          {separator, 1},
          "a workflow file holds one YAML document, but another starts here; move it "
          "to a file of its own");
      return false;
    }
    content = true;
  }
  return true;
}

bool CheckDocument(Context& ctx, const YAML::Node& root) {
  if (!CheckQuotesClosed(ctx, root)) return false;
  CheckDuplicateKeys(ctx, root, "");
  return true;
}

}  // namespace sagaflow::loader
