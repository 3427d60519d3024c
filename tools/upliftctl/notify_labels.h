// The notification service's enums in people's words, for upliftctl's
// tables, and channel types by the words its options take.
#pragma once

#include <optional>
#include <string>

#include "uplift/notify/v1/notify.pb.h"

namespace uplift::cli {

std::string KindLabel(uplift::notify::v1::Kind k);
std::string StateLabel(uplift::notify::v1::DeliveryState s);
std::string ChannelTypeLabel(uplift::notify::v1::ChannelType type);
// The words of --type and of routes: webhook, wecom, dingtalk, email, sms.
std::optional<uplift::notify::v1::ChannelType> ChannelTypeOfWord(const std::string& word);

}  // namespace uplift::cli
