// The sagaflow command: dispatches to one subcommand per file in engine/cli/.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "engine/cli/commands.hpp"

namespace {

void PrintUsage() {
  std::cerr
      << "usage: sagaflow <command> [options]\n"
         "\n"
         "commands:\n"
         "  validate [--format text|json] FILE…   check workflow files\n"
         "  plan [--json] FILE                     show steps and rollback order\n"
         "  serve [--option value]…                run the engine (see README)\n"
         "  migrate                                apply database migrations\n"
         "  start WORKFLOW [--input FILE|-]        start a run over the HTTP API\n"
         "  runs list|stuck|show|history|<action>  inspect and act on runs (see runs --help)\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage();
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "validate") return sagaflow::cli::Validate(args);
  if (command == "plan") return sagaflow::cli::Plan(args);
  if (command == "serve") return sagaflow::cli::Serve(args);
  if (command == "migrate") return sagaflow::cli::Migrate(args);
  if (command == "start") return sagaflow::cli::Start(args);
  if (command == "runs") return sagaflow::cli::Runs(args);
  std::cerr << "sagaflow: unknown command '" << command << "'\n";
  PrintUsage();
  return 2;
}
