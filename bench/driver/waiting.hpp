// Starting runs that park on a long retry timer (bench_retry), and waiting
// until they all have.
#pragma once

#include <string>

#include "bench/driver/context.hpp"

namespace bench {

// Starts `runs` bench_retry runs on `port` and waits until that many steps
// are waiting on their timer; returns the seconds it took, or -1 on timeout.
double StartWaitingRuns(const Context& context, const std::string& database, unsigned short port,
                        long long runs);

}  // namespace bench
