#include "bench/driver/table.hpp"

#include <cctype>
#include <iostream>

namespace bench {

namespace {

// Numbers (and the dash for "none") are right-aligned, text left.
bool Numeric(const std::string& cell) {
  if (cell.empty() || cell == "–") return true;
  for (char c : cell) {
    if (!isdigit(static_cast<unsigned char>(c)) && c != '.' && c != ',' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string Table::Markdown() const {
  std::string out = "|";
  for (const auto& column : columns_) out += " " + column + " |";
  out += "\n|";
  for (size_t i = 0; i < columns_.size(); ++i) {
    bool numeric = i > 0;
    for (const auto& row : rows_) numeric = numeric && i < row.size() && Numeric(row[i]);
    out += numeric ? " ---: |" : " --- |";
  }
  out += "\n";
  for (const auto& row : rows_) {
    out += "|";
    for (const auto& cell : row) out += " " + cell + " |";
    out += "\n";
  }
  return out;
}

void Print(const std::string& markdown) {
  std::cout << markdown << "\n" << std::flush;
}

void Heading(const std::string& title) {
  Print("### " + title);
}

void Note(const std::string& text) {
  Print(text + "\n");
}

void Progress(const std::string& text) {
  std::cerr << "bench: " << text << "\n" << std::flush;
}

}  // namespace bench
