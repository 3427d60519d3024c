// The load generator's slots, clock and percentiles.
#include "bench/load_generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace uplift::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
  int index = 0;
  std::unique_ptr<grpc::ClientContext> context;
  Clock::time_point started;
  std::vector<double> latencies_us;  // only this slot writes it
  int64_t errors = 0;
  int64_t completed = 0;
  std::string first_error;
};

}  // namespace

LoadResult RunLoad(int concurrency, absl::Duration warmup, absl::Duration window,
                   const std::string& token, const IssueCall& issue) {
  const Clock::time_point begin = Clock::now();
  const Clock::time_point window_start = begin + absl::ToChronoNanoseconds(warmup);
  const Clock::time_point window_end = window_start + absl::ToChronoNanoseconds(window);
  std::vector<Slot> slots(concurrency);
  std::mutex mu;
  std::condition_variable cv;
  int running = concurrency;

  std::function<void(Slot*)> start = [&](Slot* slot) {
    slot->context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) slot->context->AddMetadata("authorization", "Bearer " + token);
    slot->context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    slot->started = Clock::now();
    issue(slot->index, slot->context.get(), [&, slot](grpc::Status status) {
      const Clock::time_point now = Clock::now();
      ++slot->completed;
      if (slot->started >= window_start && now <= window_end) {
        if (status.ok()) {
          slot->latencies_us.push_back(
              std::chrono::duration<double, std::micro>(now - slot->started).count());
        } else {
          if (slot->errors++ == 0) slot->first_error = status.error_message();
        }
      }
      if (now < window_end) {
        start(slot);
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      if (--running == 0) cv.notify_all();
    });
  };
  for (int i = 0; i < concurrency; ++i) {
    slots[i].index = i;
    start(&slots[i]);
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return running == 0; });
  }

  LoadResult result;
  std::vector<double> all;
  for (Slot& s : slots) {
    all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    result.errors += s.errors;
    result.completed += s.completed;
    if (result.first_error.empty()) result.first_error = s.first_error;
  }
  result.calls = static_cast<int64_t>(all.size());
  result.qps = result.calls / absl::ToDoubleSeconds(window);
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    result.p50_us = all[all.size() / 2];
    result.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return result;
}

}  // namespace uplift::bench
