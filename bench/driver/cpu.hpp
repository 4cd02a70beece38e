// CPU time, to tell a CPU-bound measurement from one that waits on fsync:
// a process's user+system seconds, and the whole machine's busy share.
#pragma once

#include <sys/types.h>

namespace bench {

// User plus system CPU seconds a process has used (0 if it is gone).
double ProcessCpuSeconds(pid_t pid);

// The parent of a process (0 if it is gone).
pid_t ParentOf(pid_t pid);

// CPU seconds of a process, the children it reaped and its live children:
// for a postmaster, the whole server, backends that exited included.
double TreeCpuSeconds(pid_t root);

struct MachineCpu {
  unsigned long long busy = 0;   // jiffies not idle or waiting on I/O
  unsigned long long total = 0;  // all jiffies, every core
};
MachineCpu ReadMachineCpu();
// Busy share of all cores between two readings, 0..1.
double BusyShare(const MachineCpu& before, const MachineCpu& after);

}  // namespace bench
