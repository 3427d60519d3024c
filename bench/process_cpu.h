// CPU time a process has used so far (user + system, every thread), read
// from /proc: the benchmarks divide it by the calls served to print CPU per
// call, which a shared, noisy machine moves far less than calls per second.
#pragma once

#include <sys/types.h>

#include "absl/time/time.h"

namespace uplift::bench {

// Seconds of CPU `pid` has used; 0 if it cannot be read (not Linux, gone).
double CpuSeconds(pid_t pid);

// Context switches of every live thread of `pid` so far (voluntary, as a
// thread sleeps on a lock or a wait, and involuntary); 0 if unreadable.
// Hand-offs between threads cost more than the work on a virtual machine.
double ContextSwitches(pid_t pid);

// Waits until `pid` uses under 5 % of a core over half a second (a service
// done with the work a benchmark's seeding left it, such as publishing its
// outbox), at most `limit`; false if it never settled.
bool WaitUntilIdle(pid_t pid, absl::Duration limit);

}  // namespace uplift::bench
