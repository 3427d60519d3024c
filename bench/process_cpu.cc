// /proc/<pid>/stat's utime and stime, in clock ticks; the threads'
// context switches from /proc/<pid>/task/*/status.
#include "bench/process_cpu.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace uplift::bench {

double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // The command name (field 2) is in parentheses and may hold spaces; the
  // fields after its closing parenthesis start at field 3.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;
  long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime)) return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ContextSwitches(pid_t pid) {
  double total = 0;
  std::error_code error;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", error)) {
    std::ifstream in(task.path() / "status");
    std::string key;
    double value = 0;
    while (in >> key) {
      if (key == "voluntary_ctxt_switches:" || key == "nonvoluntary_ctxt_switches:") {
        if (in >> value) total += value;
      }
    }
  }
  return total;
}

bool WaitUntilIdle(pid_t pid, absl::Duration limit) {
  const absl::Time give_up = absl::Now() + limit;
  const absl::Duration window = absl::Milliseconds(500);
  while (absl::Now() < give_up) {
    const double before = CpuSeconds(pid);
    absl::SleepFor(window);
    if (CpuSeconds(pid) - before < 0.05 * absl::ToDoubleSeconds(window)) return true;
  }
  return false;
}

}  // namespace uplift::bench
