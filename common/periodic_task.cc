// PeriodicTask.
#include "common/periodic_task.h"

#include <spdlog/spdlog.h>

namespace uplift {

PeriodicTask::PeriodicTask(std::string name, absl::Duration interval, std::function<void()> fn)
    : name_(std::move(name)), interval_(interval), fn_(std::move(fn)) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] {
    for (;;) {
      try {
        fn_();
      } catch (const std::exception& e) {
        spdlog::error("{}: {}", name_, e.what());
      }
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stop_; })) return;
    }
  });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace uplift
