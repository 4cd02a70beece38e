// `sagaflow plan [--json] FILE` — the steps in order with their compensations
// and the rollback each final failure would run.
#include <iostream>

#include "engine/cli/commands.hpp"
#include "engine/loader.hpp"
#include "engine/plan.hpp"
#include "steps/builtin_steps.hpp"

namespace sagaflow::cli {

int Plan(const std::vector<std::string>& args) {
  bool json = false;
  std::string file;
  for (const auto& arg : args) {
    if (arg == "--json") {
      json = true;
    } else {
      file = arg;
    }
  }
  if (file.empty()) {
    std::cerr << "usage: sagaflow plan [--json] FILE\n";
    return 2;
  }
  LoadResult result = LoadDefinitionFile(file, BuiltinStepRegistry());
  for (const auto& d : result.diagnostics.list()) std::cerr << d.ToText() << "\n";
  if (!result.definition) return 1;
  if (json) {
    std::cout << PlanJson(*result.definition).dump(2) << "\n";
  } else {
    std::cout << PlanText(*result.definition);
  }
  return 0;
}

}  // namespace sagaflow::cli
