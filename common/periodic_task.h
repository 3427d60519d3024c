// Runs a function every `interval` on its own thread until stopped (or the
// object is destroyed); the first run is right away.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/time/time.h"

namespace uplift {

class PeriodicTask {
 public:
  PeriodicTask(std::string name, absl::Duration interval, std::function<void()> fn);
  ~PeriodicTask();
  void Start();
  void Stop();

 private:
  const std::string name_;
  const absl::Duration interval_;
  const std::function<void()> fn_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace uplift
