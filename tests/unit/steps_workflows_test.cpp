// Every shipped workflow loads against the built-in step types with no
// errors and no warnings (what `sagaflow validate workflows/*.yaml` checks).
#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/loader.hpp"
#include "steps/builtin_steps.hpp"

TEST_CASE("shipped workflows load cleanly", "[steps][workflows]") {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(SAGAFLOW_SOURCE_DIR) / "workflows";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 8);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const auto result =
        sagaflow::LoadDefinitionFile(file.string(), sagaflow::BuiltinStepRegistry());
    std::string problems;
    for (const auto& d : result.diagnostics.list()) problems += d.ToText() + "\n";
    CHECK(problems == "");
    CHECK(result.definition != nullptr);
  }
}
