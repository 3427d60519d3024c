// How a service writes its log: text lines (spdlog's, the default) or JSON
// lines (--log-format json), one object per event with its time, level,
// service and message, and the fields of the call it belongs to (request
// id, subject, method, code, duration) when it is a call's line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace uplift {

// "text" or "json"; anything else is INVALID_ARGUMENT naming --log-format.
// `service` names the process in every JSON line.
absl::Status SetLogFormat(const std::string& format, const std::string& service);

// Fields the lines logged on this thread carry while it lives: JSON lines
// as members, text lines as " key=value" after the message.
class LogFields {
 public:
  explicit LogFields(std::vector<std::pair<std::string, std::string>> fields);
  ~LogFields();
  LogFields(const LogFields&) = delete;
  LogFields& operator=(const LogFields&) = delete;

  // The fields of the innermost LogFields of this thread (none: empty).
  static const std::vector<std::pair<std::string, std::string>>& Current();

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  const std::vector<std::pair<std::string, std::string>>* outer_;
};

}  // namespace uplift
