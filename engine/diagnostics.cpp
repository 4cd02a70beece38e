#include "engine/diagnostics.hpp"

#include <algorithm>

namespace sagaflow {

std::string Diagnostic::ToText() const {
  std::string text =
      file + ":" + std::to_string(location.line) + ":" + std::to_string(location.column) + ": ";
  text += severity == Severity::kError ? "error: " : "warning: ";
  return text + message;
}

Json Diagnostic::ToJson() const {
  return Json{{"file", file},
              {"line", location.line},
              {"column", location.column},
              {"severity", severity == Severity::kError ? "error" : "warning"},
              {"message", message}};
}

void Diagnostics::Error(SourceLocation at, std::string message) {
  list_.push_back({file_, at, Severity::kError, std::move(message)});
}

void Diagnostics::Warning(SourceLocation at, std::string message) {
  list_.push_back({file_, at, Severity::kWarning, std::move(message)});
}

bool Diagnostics::HasErrors() const {
  return std::any_of(list_.begin(), list_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void Diagnostics::Sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
}

}  // namespace sagaflow
