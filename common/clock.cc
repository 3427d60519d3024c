// The process-wide system clock and the test clock read from a file.
#include "common/clock.h"

#include <fstream>

namespace uplift {

SystemClock* SystemClock::Get() {
  static SystemClock* clock = new SystemClock();
  return clock;
}

absl::Time OffsetFileClock::Now() const {
  const absl::Time real = absl::Now();
  absl::MutexLock lock(&mu_);
  if (real - last_read_ > absl::Milliseconds(50)) {
    std::ifstream in(path_);
    double seconds = 0;
    if (in >> seconds) offset_ = absl::Seconds(seconds);
    last_read_ = real;
  }
  return real + offset_;
}

}  // namespace uplift
