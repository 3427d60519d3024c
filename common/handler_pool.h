// The threads that run RPC handlers. gRPC's callback API calls a handler on
// one of its few polling threads (two on a small machine); a handler that
// waits (for the disk, for another service) would hold that thread and with
// it every other call. RunUnary posts each handler here instead, so calls
// wait for each other only where they share something (a database's batch).
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
  explicit HandlerPool(int threads);
  // Runs what is posted, then stops the threads.
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  void Post(std::function<void()> work);

  // The process's pool for RPC handlers, created on first use with
  // SetDefaultThreads' count (16 unless set).
  static HandlerPool& Default();
  // Before the first Default(): how many threads it has (at least 1).
  static void SetDefaultThreads(int threads);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> work_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace uplift
