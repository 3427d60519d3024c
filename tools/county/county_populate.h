// Puts a county into a running registry over gRPC: the enterprises
// (ImportEnterprises), their tier awards and revocations, the above-size
// and listing pools. Safe to run again: what exists is left alone.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "tools/county/county_model.h"

namespace uplift::county {

struct PopulateCounts {
  int enterprises = 0;  // created
  int awards = 0;
  int revoked = 0;
  int pool_steps = 0;
};

absl::StatusOr<PopulateCounts> PopulateRegistry(const CountyModel& county,
                                                std::shared_ptr<grpc::Channel> registry,
                                                const std::string& token);

}  // namespace uplift::county
