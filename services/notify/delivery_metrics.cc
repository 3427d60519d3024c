// Deliveries counted by channel type and state for Prometheus.
#include "services/notify/delivery_metrics.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/sql/query.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {
namespace {

namespace nv1 = uplift::notify::v1;

// "DELIVERY_STATE_DELIVERED" -> "delivered".
std::string Short(const std::string& enum_name, const std::string& prefix) {
  return absl::AsciiStrToLower(absl::StartsWith(enum_name, prefix) ? enum_name.substr(prefix.size())
                                                                   : enum_name);
}

}  // namespace

void AddDeliveryGauges(metrics::Registry* registry, sql::Store* db) {
  registry->AddGauge(
      "uplift_notify_deliveries", "Deliveries kept, by channel type and state.",
      {"channel", "state"}, [db]() -> absl::StatusOr<std::vector<metrics::GaugeSample>> {
        std::map<std::pair<std::string, std::string>, double> counts;
        absl::Status read = db->Read([&](sql::Connection& c) {
          std::map<std::string, std::string> type_of = {{"inbox", "inbox"}};
          sql::Query channels(c, "SELECT channel_id, body FROM channels");
          while (channels.Step()) {
            nv1::Channel channel;
            if (channel.ParseFromString(channels.Blob(1))) {
              type_of[channels.Text(0)] =
                  Short(nv1::ChannelType_Name(channel.type()), "CHANNEL_TYPE_");
            }
          }
          sql::Query q(c,
                       "SELECT channel_id, state, COUNT(*) FROM deliveries"
                       " GROUP BY channel_id, state");
          while (q.Step()) {
            auto type = type_of.find(q.Text(0));
            const std::string state =
                nv1::DeliveryState_IsValid(static_cast<int>(q.Int64(1)))
                    ? Short(nv1::DeliveryState_Name(static_cast<nv1::DeliveryState>(q.Int64(1))),
                            "DELIVERY_STATE_")
                    : "unknown";
            counts[{type == type_of.end() ? "other" : type->second, state}] +=
                static_cast<double>(q.Int64(2));
          }
          return absl::OkStatus();
        });
        if (!read.ok()) return read;
        std::vector<metrics::GaugeSample> out;
        for (const auto& [labels, n] : counts) out.push_back({{labels.first, labels.second}, n});
        return out;
      });
}

}  // namespace uplift::notify
