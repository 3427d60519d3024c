// The process-wide system clock.
#include "common/clock.h"

namespace uplift {

SystemClock* SystemClock::Get() {
  static SystemClock* clock = new SystemClock();
  return clock;
}

}  // namespace uplift
