// Feeding arbitrary request bytes to a service's logic class, as a gRPC
// server would after decoding: the first bytes of an input choose the RPC,
// the caller's role and unit; the rest is parsed as that RPC's request
// message (bytes that do not parse are dropped, as gRPC drops them). The
// access table's gate runs first, as in RunUnary. An RpcTable must name
// every method of the service's descriptor: a missing one aborts at start,
// so an RPC added later cannot escape the fuzzer.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"

namespace uplift::fuzz {

// Who calls: a role (every one, and a value that is none) and a unit of `units` (the
// seeded ones, "" and one made of the input's bytes).
inline Principal FuzzCaller(FuzzedDataProvider& input, const std::vector<std::string>& units) {
  Principal who;
  who.subject = "fuzz";
  who.token_id = "fuzz-token";
  who.role = static_cast<Role>(input.ConsumeIntegralInRange<int>(0, 9));  // 9: no such role
  const size_t pick = input.ConsumeIntegralInRange<size_t>(0, units.size() + 1);
  if (pick < units.size()) {
    who.unit_id = units[pick];
  } else if (pick == units.size()) {
    who.unit_id = input.ConsumeRandomLengthString(24);
  }
  return who;
}

// The messages of a client stream, from one request's bytes: up to 16, each
// parsed from its own run of bytes (those that do not parse are dropped).
template <typename Message>
std::vector<Message> StreamMessages(const std::string& bytes) {
  FuzzedDataProvider input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  std::vector<Message> messages;
  const int count = input.ConsumeIntegralInRange<int>(0, 16);
  for (int i = 0; i < count && input.remaining_bytes() > 0; ++i) {
    Message m;
    if (m.ParseFromString(input.ConsumeRandomLengthString(4096))) messages.push_back(std::move(m));
  }
  return messages;
}

// The service named `full_name` in the linked contracts; aborts if absent.
inline const google::protobuf::ServiceDescriptor* ServiceNamed(const std::string& full_name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name);
  if (service == nullptr) {
    std::fprintf(stderr, "no service %s is linked\n", full_name.c_str());
    std::abort();
  }
  return service;
}

template <typename Logic>
class RpcTable {
 public:
  using Call = std::function<void(Logic&, const Principal&, const std::string& request)>;

  explicit RpcTable(const google::protobuf::ServiceDescriptor* service) : service_(service) {}

  // A unary RPC served by `method` of the logic class.
  template <typename Request, typename Response>
  RpcTable& Unary(const std::string& name,
                  absl::StatusOr<Response> (Logic::*method)(const Principal&, const Request&)) {
    return Add(name, [method](Logic& logic, const Principal& who, const std::string& bytes) {
      Request request;
      if (!request.ParseFromString(bytes)) return;
      (void)(logic.*method)(who, request);
    });
  }

  // Any RPC, by what its handler does with the request bytes.
  RpcTable& Add(const std::string& name, Call call) {
    calls_[name] = std::move(call);
    return *this;
  }

  // Aborts naming every method of the service the table lacks.
  void CheckComplete() const {
    bool complete = true;
    for (int i = 0; i < service_->method_count(); ++i) {
      if (calls_.count(service_->method(i)->name()) == 0) {
        std::fprintf(stderr, "fuzz table of %s lacks %s\n", service_->full_name().c_str(),
                     service_->method(i)->name().c_str());
        complete = false;
      }
    }
    if (!complete) std::abort();
  }

  // One input: an RPC, a caller, the request's bytes.
  void Run(Logic& logic, FuzzedDataProvider& input, const std::vector<std::string>& units) const {
    const int index = input.ConsumeIntegralInRange<int>(0, service_->method_count() - 1);
    const std::string method = service_->method(index)->name();
    const Principal who = FuzzCaller(input, units);
    const std::string rpc = service_->full_name() + "/" + method;
    if (!AccessTable::Builtin().Gate(who, rpc).ok()) return;
    calls_.at(method)(logic, who, input.ConsumeRemainingBytesAsString());
  }

 private:
  const google::protobuf::ServiceDescriptor* service_;
  std::map<std::string, Call> calls_;
};

}  // namespace uplift::fuzz

// The libFuzzer entry point of a target whose world (seeded once, on the
// first input) is `World`: World().Run(FuzzedDataProvider&) per input.
// Protobuf logs each invalid UTF-8 string it parses; arbitrary bytes are
// what the targets feed, so those messages are switched off (they filled a
// target's log with megabytes and hid libFuzzer's own lines).
#define UPLIFT_FUZZ_WORLD(World)                                                   \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {        \
    static World* world = (google::protobuf::SetLogHandler(nullptr), new World()); \
    FuzzedDataProvider input(data, size);                                          \
    world->Run(input);                                                             \
    return 0;                                                                      \
  }
