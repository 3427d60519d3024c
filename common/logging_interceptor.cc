// The logging interceptor.
#include "common/logging_interceptor.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include <grpcpp/server_context.h>

#include "common/validation.h"

namespace uplift {
namespace {

using grpc::experimental::InterceptionHookPoints;

class LoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit LoggingInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - start_)
                              .count();
      // Everything but the time is escaped and cut: a status message can
      // echo input, and no input may forge a line or grow the log.
      const std::string peer = SafeForLog(
          info_->server_context() != nullptr ? info_->server_context()->peer() : "", 64);
      const std::string method = SafeForLog(info_->method(), 128);
      const std::string message = SafeForLog(status.error_message(), 300);
      switch (status.error_code()) {
        case grpc::StatusCode::OK:
          spdlog::debug("rpc {} peer={} OK {}us", method, peer, micros);
          break;
        case grpc::StatusCode::INTERNAL:
        case grpc::StatusCode::UNKNOWN:
        case grpc::StatusCode::DATA_LOSS:
          spdlog::error("rpc {} peer={} code={} {}us: {}", method, peer,
                        static_cast<int>(status.error_code()), micros, message);
          break;
        default:
          spdlog::info("rpc {} peer={} code={} {}us: {}", method, peer,
                       static_cast<int>(status.error_code()), micros, message);
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

grpc::experimental::Interceptor* LoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new LoggingInterceptor(info);
}

}  // namespace uplift
