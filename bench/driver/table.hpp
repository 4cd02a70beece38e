// Markdown output: headings, notes and tables, printed to stdout as they are
// ready (so a long run shows progress) and kept for the results file.
#pragma once

#include <string>
#include <vector>

namespace bench {

class Table {
 public:
  explicit Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  void Add(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string Markdown() const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Writes to stdout and flushes.
void Print(const std::string& markdown);
void Heading(const std::string& title);
void Note(const std::string& text);
// Progress for the person waiting, on stderr.
void Progress(const std::string& text);

}  // namespace bench
