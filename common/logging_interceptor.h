// Server interceptor that logs every call: method, status, and as the
// line's fields (log_format.h) its request id, subject, peer and time.
// Failures log at info (caller errors) or error (server faults); successes
// at debug, so a busy server stays quiet at the default level. Every field
// is escaped and cut (SafeForLog): input echoed in a status cannot forge a
// log line or grow the log.
#pragma once

#include <grpcpp/support/server_interceptor.h>

namespace uplift {

class LoggingInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace uplift
