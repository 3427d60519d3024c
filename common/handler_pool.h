// The threads that run RPC handlers. gRPC's callback API calls a handler on
// one of its few polling threads (two on a small machine); a handler that
// waits (for the disk, for another service) would hold that thread and with
// it every other call. RunUnary posts each handler here instead, so calls
// wait for each other only where they share something (a database's batch).
// The queue is bounded: past it a call is refused at once (RESOURCE_EXHAUSTED)
// rather than left to wait without end while the process's memory grows.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace uplift {

class HandlerPool {
 public:
  static constexpr size_t kDefaultMaxQueued = 4096;
  explicit HandlerPool(int threads, size_t max_queued = kDefaultMaxQueued);
  // Runs what is posted, then stops the threads.
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // False, and `work` is not run, if `max_queued` works already wait.
  [[nodiscard]] bool Post(std::function<void()> work);

  // The process's pool for RPC handlers, created on first use with
  // SetDefaultThreads' count (16 unless set).
  static HandlerPool& Default();
  // Before the first Default(): how many threads it has (at least 1).
  static void SetDefaultThreads(int threads);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  const size_t max_queued_;
  std::deque<std::function<void()>> work_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace uplift
