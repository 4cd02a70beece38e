// Subcommands of the sagaflow binary. Each returns the process exit code:
// 0 success, 1 the work found problems, 2 bad usage.
#pragma once

#include <string>
#include <vector>

namespace sagaflow::cli {

int Validate(const std::vector<std::string>& args);
int Plan(const std::vector<std::string>& args);
int Serve(const std::vector<std::string>& args);
int Migrate(const std::vector<std::string>& args);
int Start(const std::vector<std::string>& args);
int Runs(const std::vector<std::string>& args);

}  // namespace sagaflow::cli
