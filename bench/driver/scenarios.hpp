// The benchmark scenarios of issue 7, one function each; each prints its
// own Markdown table. Numbers are reported, never asserted.
#pragma once

#include "bench/driver/context.hpp"

namespace bench {

void RunCeiling(Context& context);     // 1: pgbench single-row INSERT commits/s
void RunThroughput(Context& context);  // 2 (+ 4: commits and WAL per transition)
void RunSaga(Context& context);
void RunOutsideState(Context& context);   // 3: the same with rollback of three steps
void RunStartEndpoint(Context& context);  // 5: POST /v1/workflows/{name}/runs under wrk
void RunIdle(Context& context);           // 6: statements per second with no work
void RunMemory(Context& context);         // 7: resident memory
void RunScaleOut(Context& context);       // 8: 1, 2, 3 serve processes on one database
void RunListing(Context& context);        // 9: listings with 1,000,000 runs stored

}  // namespace bench
