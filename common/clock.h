// The injectable clock: services read time only through Clock, so tests can
// move time forward without sleeping.
#pragma once

#include <atomic>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace uplift {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance.
  static SystemClock* Get();
};

// A clock that moves only when told to (tests).
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
};

}  // namespace uplift

namespace uplift {

// System time shifted by the number of seconds written in a file (re-read
// at most every 50 ms). For end-to-end tests and drills that must move a
// running service through days of deadlines; never for production, and
// services log loudly when it is on.
class OffsetFileClock : public Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  absl::Time Now() const override;

 private:
  const std::string path_;
  mutable absl::Mutex mu_;
  mutable absl::Time last_read_ = absl::InfinitePast();
  mutable absl::Duration offset_;
};

}  // namespace uplift
