// A fixed set of event loops, each run by one thread of its own. The HTTP
// server puts each connection on one loop, and the backend calls a request
// makes run on the same loop: a request is read, sent on to its backend,
// answered and written by one thread, without handing work to another.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace uplift::web {

class EventLoops {
 public:
  explicit EventLoops(int count);
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  int size() const { return static_cast<int>(loops_.size()); }
  boost::asio::io_context& loop(int i) { return *loops_[i]; }
  // The loop whose thread is calling, or -1 on any other thread.
  int Current() const;

  void Start();  // once
  void Stop();   // idempotent; joins the threads

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_;
  std::vector<std::thread> threads_;
};

}  // namespace uplift::web
