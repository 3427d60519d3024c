// A fixed set of threads taking posted work in order.
#include "common/handler_pool.h"

#include <algorithm>
#include <atomic>

namespace uplift {
namespace {
std::atomic<int> default_threads{16};
}  // namespace

HandlerPool::HandlerPool(int threads, size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Run(); });
}

HandlerPool::~HandlerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool HandlerPool::Post(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (work_.size() >= max_queued_) return false;
    work_.push_back(std::move(work));
  }
  cv_.notify_one();
  return true;
}

void HandlerPool::Run() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !work_.empty(); });
      if (work_.empty()) return;  // stopping, nothing left
      work = std::move(work_.front());
      work_.pop_front();
    }
    work();
  }
}

HandlerPool& HandlerPool::Default() {
  // Never destroyed: handlers may still run while the process exits.
  static HandlerPool* pool = new HandlerPool(default_threads.load());
  return *pool;
}

void HandlerPool::SetDefaultThreads(int threads) { default_threads = std::max(1, threads); }

}  // namespace uplift
