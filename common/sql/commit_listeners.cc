// CommitListeners: a map of callbacks under one lock.
#include "common/sql/commit_listeners.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace uplift::sql {

int CommitListeners::Add(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.emplace(next_id_, std::move(listener));
  return next_id_++;
}

void CommitListeners::Remove(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  listeners_.erase(id);
}

void CommitListeners::Notify() {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, listener] : listeners_) {
    // A listener that throws must not leave the writes behind it stranded.
    try {
      listener();
    } catch (const std::exception& e) {
      spdlog::error("a commit listener failed: {}", e.what());
    } catch (...) {
      spdlog::error("a commit listener failed");
    }
  }
}

}  // namespace uplift::sql
