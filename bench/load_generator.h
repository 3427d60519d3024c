// A closed-loop gRPC load generator: `concurrency` slots each keep one call
// in flight (callback API), for a warm-up and then a measured window; it
// reports throughput and latency percentiles of the measured window.
#pragma once

#include <functional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"

namespace uplift::bench {

struct LoadResult {
  int64_t calls = 0;   // completed OK in the window
  int64_t errors = 0;  // failed in the window
  int64_t completed = 0;  // every call that ended, warm-up included
  double qps = 0;
  double p50_us = 0;
  double p99_us = 0;
  std::string first_error;
};

// Issues one call for `slot` with `context`; must call `done` exactly once.
using IssueCall = std::function<void(int slot, grpc::ClientContext* context,
                                     std::function<void(grpc::Status)> done)>;

LoadResult RunLoad(int concurrency, absl::Duration warmup, absl::Duration window,
                   const std::string& token, const IssueCall& issue);

}  // namespace uplift::bench
