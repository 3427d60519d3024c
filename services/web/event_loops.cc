// Event loops, each on its own thread.
#include "services/web/event_loops.h"

#include <algorithm>

namespace uplift::web {
namespace {

struct Current {
  const EventLoops* loops = nullptr;
  int index = -1;
};
thread_local Current current;

}  // namespace

EventLoops::EventLoops(int count) {
  for (int i = 0; i < std::max(1, count); ++i) {
    // One thread runs each loop; others post to it.
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));
    keep_.push_back(boost::asio::make_work_guard(*loops_.back()));
  }
}

EventLoops::~EventLoops() { Stop(); }

int EventLoops::Current() const { return current.loops == this ? current.index : -1; }

void EventLoops::Start() {
  for (size_t i = 0; i < loops_.size(); ++i) {
    threads_.emplace_back([this, i] {
      current = {this, static_cast<int>(i)};
      loops_[i]->run();
    });
  }
}

void EventLoops::Stop() {
  for (auto& loop : loops_) loop->stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

}  // namespace uplift::web
