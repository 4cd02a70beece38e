// The definition loader against a table of workflow files under
// tests/definitions/: each file begins with `# expect: LINE:COL: severity:
// message` lines, exactly the diagnostics loading it must produce, in order.
// invalid/ holds one malformed definition per error path (some with several
// problems, to prove every problem is reported at once); valid/ holds tricky
// definitions that must load, with warnings only where they are listed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/loader.hpp"
#include "steps/builtin_steps.hpp"

#ifndef SAGAFLOW_SOURCE_DIR
#define SAGAFLOW_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;

const fs::path kDefinitions = fs::path(SAGAFLOW_SOURCE_DIR) / "tests" / "definitions";

std::vector<fs::path> YamlFiles(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The `# expect:` lines the file begins with, without the prefix.
std::vector<std::string> Expected(const fs::path& file) {
  static const std::string kPrefix = "# expect: ";
  std::ifstream in(file);
  std::vector<std::string> expected;
  for (std::string line; std::getline(in, line) && line.rfind(kPrefix, 0) == 0;) {
    expected.push_back(line.substr(kPrefix.size()));
  }
  return expected;
}

std::string Render(const sagaflow::Diagnostic& d) {
  return std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
         (d.severity == sagaflow::Severity::kError ? "error" : "warning") + ": " + d.message;
}

struct Loaded {
  bool has_definition = false;
  bool has_errors = false;
  std::vector<std::string> rendered;
};

Loaded Load(const fs::path& file) {
  const sagaflow::LoadResult result =
      sagaflow::LoadDefinitionFile(file, sagaflow::BuiltinStepRegistry());
  Loaded loaded{result.definition != nullptr, result.diagnostics.HasErrors(), {}};
  for (const auto& d : result.diagnostics.list()) {
    loaded.rendered.push_back(Render(d));
    // What `sagaflow validate` prints: the same text behind the file name.
    CHECK(d.ToText() == file.string() + ":" + Render(d));
  }
  return loaded;
}

}  // namespace

TEST_CASE("each malformed definition reports exactly its expected diagnostics", "[definitions]") {
  const auto files = YamlFiles(kDefinitions / "invalid");
  REQUIRE(files.size() >= 50);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const auto expected = Expected(file);
    REQUIRE_FALSE(expected.empty());  // a case without expectations proves nothing
    const Loaded loaded = Load(file);
    CHECK(loaded.rendered == expected);
    CHECK(loaded.has_errors);
    CHECK_FALSE(loaded.has_definition);
  }
}

TEST_CASE("each tricky but valid definition loads, with only its listed warnings",
          "[definitions]") {
  const auto files = YamlFiles(kDefinitions / "valid");
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const Loaded loaded = Load(file);
    CHECK(loaded.rendered == Expected(file));
    CHECK_FALSE(loaded.has_errors);
    CHECK(loaded.has_definition);
  }
}
