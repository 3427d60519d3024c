// uplift-notify's SMS flags: a gateway's request template (--sms-*) or
// 阿里云短信 (--aliyun-*; the AccessKey secret only from the environment,
// so it is never seen in a process list).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include "absl/status/status.h"
#include "services/notify/sms_gateway.h"

namespace uplift::notify {

class SmsFlags {
 public:
  // Registers the flags on `app`, filling `*gateway`.
  SmsFlags(CLI::App& app, SmsGateway* gateway);
  // After parsing: headers, the secret from the environment, and the checks.
  absl::Status Finish();

 private:
  SmsGateway* gateway_;
  std::vector<std::string> headers_;
  std::string receipt_after_ = "1m";
};

}  // namespace uplift::notify
