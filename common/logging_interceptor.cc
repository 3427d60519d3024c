// The logging interceptor.
#include "common/logging_interceptor.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include <grpcpp/server_context.h>

#include "common/call_log_context.h"
#include "common/log_format.h"
#include "common/metrics/rpc_metrics.h"
#include "common/validation.h"

namespace uplift {
namespace {

using grpc::experimental::InterceptionHookPoints;

class LoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit LoggingInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    grpc::ServerContextBase* context = info_->server_context();
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA) &&
        context != nullptr) {
      // Nothing an earlier call left under this context's address.
      (void)CallLogContext::TakeSubject(context);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const std::string subject =
          context != nullptr ? CallLogContext::TakeSubject(context) : std::string();
      spdlog::level::level_enum level = spdlog::level::info;  // a caller's error
      switch (status.error_code()) {
        case grpc::StatusCode::OK:
          level = spdlog::level::debug;
          break;
        case grpc::StatusCode::INTERNAL:
        case grpc::StatusCode::UNKNOWN:
        case grpc::StatusCode::DATA_LOSS:
          level = spdlog::level::err;  // a server fault
          break;
        default:
          break;
      }
      // A busy server's successful calls cost no formatting at info.
      if (spdlog::should_log(level)) Log(level, status, context, subject);
    }
    methods->Proceed();
  }

 private:
  void Log(spdlog::level::level_enum level, const grpc::Status& status,
           grpc::ServerContextBase* context, const std::string& subject) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start_)
                            .count();
    // Everything but the time is escaped and cut: a status message can
    // echo input, and no input may forge a line or grow the log.
    const std::string method = SafeForLog(info_->method(), 128);
    LogFields fields({{"request_id", context != nullptr ? CallLogContext::RequestId(*context) : ""},
                      {"subject", SafeForLog(subject, 128)},
                      {"peer", SafeForLog(context != nullptr ? context->peer() : "", 64)},
                      {"duration_us", std::to_string(micros)}});
    if (status.ok()) {
      spdlog::log(level, "rpc {} OK", method);
    } else {
      spdlog::log(level, "rpc {} {}: {}", method, metrics::CodeName(status.error_code()),
                  SafeForLog(status.error_message(), 300));
    }
  }

  grpc::experimental::ServerRpcInfo* info_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

grpc::experimental::Interceptor* LoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new LoggingInterceptor(info);
}

}  // namespace uplift
