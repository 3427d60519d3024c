// The people of units from uplift-web's accounts (Accounts.ListAccounts,
// every page, disabled accounts too), with this service's SERVICE token.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "services/notify/people_sync.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace uplift::notify {

class PeopleSourceGrpc : public PeopleSource {
 public:
  PeopleSourceGrpc(std::shared_ptr<grpc::Channel> channel, std::string service_token)
      : stub_(uplift::accounts::v1::Accounts::NewStub(std::move(channel))),
        token_(std::move(service_token)) {}
  absl::StatusOr<std::vector<v1::Person>> ListPeople() override;

 private:
  std::unique_ptr<uplift::accounts::v1::Accounts::Stub> stub_;
  const std::string token_;
};

}  // namespace uplift::notify
