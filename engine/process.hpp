// Running helper programs (initdb, pg_ctl) and capturing what they print.
#pragma once

#include <string>
#include <vector>

namespace sagaflow {

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs argv[0] with arguments, waiting for it to finish. When `as_user` is
// not empty and we are root, runs it as that user (via runuser).
ProcessResult RunProcess(std::vector<std::string> argv, const std::string& as_user = "");

}  // namespace sagaflow
