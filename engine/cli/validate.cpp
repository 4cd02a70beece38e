// `sagaflow validate [--format text|json] FILE…` — every problem of every
// file, compiler style; exit 1 when any file has an error.
#include <iostream>

#include "engine/cli/commands.hpp"
#include "engine/loader.hpp"
#include "steps/builtin_steps.hpp"

namespace sagaflow::cli {

int Validate(const std::vector<std::string>& args) {
  std::string format = "text";
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--format" && i + 1 < args.size()) {
      format = args[++i];
    } else if (args[i].rfind("--format=", 0) == 0) {
      format = args[i].substr(9);
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty() || (format != "text" && format != "json")) {
    std::cerr << "usage: sagaflow validate [--format text|json] FILE…\n";
    return 2;
  }
  bool errors = false;
  Json report = Json::array();
  for (const auto& file : files) {
    LoadResult result = LoadDefinitionFile(file, BuiltinStepRegistry());
    errors = errors || result.diagnostics.HasErrors();
    for (const auto& d : result.diagnostics.list()) {
      if (format == "json") {
        report.push_back(d.ToJson());
      } else {
        std::cout << d.ToText() << "\n";
      }
    }
    if (format == "text" && result.definition) {
      std::cout << file << ": ok (" << result.definition->name << " v" << result.definition->version
                << ", " << result.definition->steps.size() << " steps)\n";
    }
  }
  if (format == "json") std::cout << Json{{"ok", !errors}, {"diagnostics", report}}.dump(2) << "\n";
  return errors ? 1 : 0;
}

}  // namespace sagaflow::cli
