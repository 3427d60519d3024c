// Parsing of the notification service's own settings: quiet hours
// ("22:00-07:00", "off") and digest times ("09:00,15:00").
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notify/notify_service.h"

namespace uplift::notify {

absl::StatusOr<QuietHours> ParseQuietHours(const std::string& text);
absl::StatusOr<std::vector<int>> ParseDigestTimes(const std::string& text);

}  // namespace uplift::notify
