// A child process for end-to-end tests: started with extra environment
// variables, output captured to a file, killed with any signal. The
// destructor kills it with SIGKILL if it is still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace sagaflow::testing {

class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
               std::string log_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Signal(int signal);
  // Waits for the exit; returns the exit code, or -signal when killed,
  // or nullopt-equivalent 1000 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  bool Running();
  std::string Log() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string log_file_;
  bool reaped_ = false;
  int status_ = 0;
};

// A `sagaflow serve` process on the given database and workflow folder.
std::map<std::string, std::string> ServeEnvironment(const std::string& database_url,
                                                    const std::string& workflows_dir,
                                                    const std::string& lease = "1s");

}  // namespace sagaflow::testing
