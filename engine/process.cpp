#include "engine/process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>

namespace sagaflow {

ProcessResult RunProcess(std::vector<std::string> argv, const std::string& as_user) {
  if (!as_user.empty() && geteuid() == 0) {
    argv.insert(argv.begin(), {"runuser", "-u", as_user, "--"});
  }
  int pipe_fds[2];
  ProcessResult result;
  if (pipe(pipe_fds) != 0) return result;
  const pid_t pid = fork();
  if (pid == 0) {
    // Another user may not be allowed into our working directory.
    if (!as_user.empty() && chdir("/") != 0) _exit(126);
    dup2(pipe_fds[1], 1);
    dup2(pipe_fds[1], 2);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  std::array<char, 4096> buffer;
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer.data(), buffer.size())) > 0)
    result.output.append(buffer.data(), n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace sagaflow
