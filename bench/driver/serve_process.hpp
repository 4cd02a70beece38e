// One `sagaflow serve` process started by the benchmark: its own port, its
// output in a log file, killed with the driver (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

namespace bench {

struct ServeSettings {
  std::string binary;  // path of the sagaflow executable
  std::string database_url;
  std::string workflows_dir;
  std::string log_file;
  std::string token;      // an admin token (admin scope can call the API too)
  int workers = 0;        // 0: the engine's default
  int max_in_flight = 0;  // 0: the engine's default
};

class ServeProcess {
 public:
  explicit ServeProcess(const ServeSettings& settings);
  ~ServeProcess();  // SIGKILL if still running
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGTERM and wait for the exit (graceful stop hands leases back).
  void Stop();
  // Resident memory in KiB (VmRSS), and the peak (VmHWM).
  long ResidentKib() const;
  long PeakResidentKib() const;

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string log_file_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
unsigned short FreePort();

}  // namespace bench
