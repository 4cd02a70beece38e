// Diagnostics: the problems found while loading a workflow definition, each
// pinned to file, line and column so an editor or CI log can jump to it.
// A Diagnostics list is a plain value; it is not shared between threads.
#pragma once

#include <string>
#include <vector>

#include "engine/json.hpp"

namespace sagaflow {

// 1-based line and column in a source file; {0, 0} when unknown.
struct SourceLocation {
  int line = 0;
  int column = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  std::string file;
  SourceLocation location;
  Severity severity = Severity::kError;
  std::string message;

  // "file:line:col: error: message", the format compilers use.
  std::string ToText() const;
  Json ToJson() const;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void Error(SourceLocation at, std::string message);
  void Warning(SourceLocation at, std::string message);

  bool HasErrors() const;
  const std::vector<Diagnostic>& list() const { return list_; }
  const std::string& file() const { return file_; }

  // Sorts by line and column so reports read top to bottom.
  void Sort();

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
};

}  // namespace sagaflow
