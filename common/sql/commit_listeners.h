// Callbacks run after each commit of a store (both engines): the outbox
// relay and the live feeds wake on them instead of polling.
#pragma once

#include <functional>
#include <map>
#include <mutex>

namespace uplift::sql {

class CommitListeners {
 public:
  // Returns the listener's id for Remove. Listeners must be quick and must
  // not add or remove listeners.
  int Add(std::function<void()> listener);
  // Once this returns, the listener is not running and is not called again
  // (its owner may then be destroyed).
  void Remove(int id);
  // Calls every listener; one that throws is logged, the rest still run.
  void Notify();

 private:
  std::mutex mu_;  // held while listeners run, so removing one waits for it
  std::map<int, std::function<void()>> listeners_;
  int next_id_ = 0;
};

}  // namespace uplift::sql
