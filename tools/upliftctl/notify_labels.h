// The notification service's enums in people's words, for upliftctl's tables.
#pragma once

#include <string>

#include "uplift/notify/v1/notify.pb.h"

namespace uplift::cli {

std::string KindLabel(uplift::notify::v1::Kind k);
std::string StateLabel(uplift::notify::v1::DeliveryState s);
std::string ChannelTypeLabel(uplift::notify::v1::ChannelType type);

}  // namespace uplift::cli
