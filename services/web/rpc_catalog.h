// Every RPC uplift-web forwards, read from the protobuf descriptors
// compiled into it and the suite's topology (which service serves which
// gRPC services): its HTTP path "/<package>.<Service>/<Method>", the
// service that owns it, whether it streams, and its message types. A new
// RPC in protos/ needs no code here; a new gRPC service needs its contract
// linked (LinkContracts) and a line in suite.textproto.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/type_resolver.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace uplift::web {

struct RpcRoute {
  std::string path;     // "/uplift.registry.v1.EnterpriseRegistry/GetEnterprise"
  std::string backend;  // "uplift-registry"
  const google::protobuf::MethodDescriptor* method;
  bool server_streaming;
  bool client_streaming;  // not forwarded over HTTP
};

class RpcCatalog {
 public:
  // From the suite topology; INTERNAL if a listed gRPC service has no
  // descriptor in this binary (a broken build).
  static absl::StatusOr<std::unique_ptr<RpcCatalog>> FromSuite();

  const RpcRoute* Find(absl::string_view path) const;
  std::vector<const RpcRoute*> All() const;

 private:
  std::map<std::string, RpcRoute, std::less<>> routes_;
};

// protobuf's JSON mapping in both directions for any message type of the
// compiled descriptors. Errors are INVALID_ARGUMENT naming the field
// ("request body: (page_size): invalid value ...").
class MessageCodec {
 public:
  MessageCodec();
  absl::StatusOr<std::string> JsonToBinary(const google::protobuf::Descriptor* type,
                                           absl::string_view json) const;
  absl::StatusOr<std::string> BinaryToJson(const google::protobuf::Descriptor* type,
                                           absl::string_view binary) const;

 private:
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

// References one message of every contract uplift-web forwards, so that
// their descriptors are linked into the binary.
void LinkContracts();

}  // namespace uplift::web
