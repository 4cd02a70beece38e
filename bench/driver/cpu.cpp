#include "bench/driver/cpu.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

namespace {

// utime, stime, cutime, cstime (fields 14 to 17 of /proc/<pid>/stat) in seconds.
std::vector<double> CpuFields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return {0, 0, 0, 0};
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  std::vector<double> values;
  const double tick = double(sysconf(_SC_CLK_TCK));
  // After the name: the state is field 3.
  for (int i = 3; i <= 17 && fields >> field; ++i) {
    if (i >= 14) values.push_back(double(std::stoll(field)) / tick);
  }
  values.resize(4, 0);
  return values;
}

}  // namespace

double ProcessCpuSeconds(pid_t pid) {
  const auto cpu = CpuFields(pid);
  return cpu[0] + cpu[1];
}

pid_t ParentOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string state;
  pid_t parent = 0;
  fields >> state >> parent;
  return parent;
}

double TreeCpuSeconds(pid_t root) {
  auto cpu = CpuFields(root);
  double seconds = cpu[0] + cpu[1] + cpu[2] + cpu[3];
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.empty() || !isdigit(static_cast<unsigned char>(name[0]))) continue;
    const pid_t pid = std::stoi(name);
    if (ParentOf(pid) != root) continue;
    cpu = CpuFields(pid);
    seconds += cpu[0] + cpu[1];
  }
  return seconds;
}

MachineCpu ReadMachineCpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  MachineCpu reading;
  reading.busy = user + nice + system + irq + softirq;  // steal is not ours
  reading.total = reading.busy + idle + iowait;
  return reading;
}

double BusyShare(const MachineCpu& before, const MachineCpu& after) {
  const auto total = after.total - before.total;
  return total == 0 ? 0 : double(after.busy - before.busy) / double(total);
}

}  // namespace bench
