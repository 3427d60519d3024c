// Person preferences: checks, defaults, quiet hours.
#include "services/notify/person_preferences.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"

namespace uplift::notify {

bool IsPersonalKind(v1::Kind kind) {
  return kind == v1::KIND_ESCALATION || kind == v1::KIND_SUPERVISOR_NOTICE ||
         kind == v1::KIND_ALERT || kind == v1::KIND_REMINDER_DIGEST || kind == v1::KIND_REQUEST;
}

bool IsPersonalChannelType(v1::ChannelType type) {
  return type == v1::CHANNEL_TYPE_SMS || type == v1::CHANNEL_TYPE_EMAIL ||
         type == v1::CHANNEL_TYPE_WECOM || type == v1::CHANNEL_TYPE_DINGTALK;
}

bool IgnoresQuietHours(v1::Kind kind) {
  return kind == v1::KIND_ESCALATION || kind == v1::KIND_SUPERVISOR_NOTICE;
}

absl::Status CheckPreferences(v1::Preferences* p) {
  std::set<int> kinds;
  for (int i = 0; i < p->routes_size(); ++i) {
    v1::Route* route = p->mutable_routes(i);
    const std::string field = absl::StrCat("preferences.routes[", i, "]");
    if (!IsPersonalKind(route->kind())) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".kind: ", v1::Kind_Name(route->kind()),
          " is not pushed to people (ESCALATION, SUPERVISOR_NOTICE, ALERT, REMINDER_DIGEST,"
          " REQUEST)"));
    }
    if (!kinds.insert(route->kind()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".kind: ", v1::Kind_Name(route->kind()), " is routed twice"));
    }
    std::set<int> types;
    for (int j = 0; j < route->channel_types_size(); ++j) {
      const v1::ChannelType type = route->channel_types(j);
      if (!IsPersonalChannelType(type)) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".channel_types[", j, "]: ", v1::ChannelType_Name(type),
                         " is not a person's channel (SMS, EMAIL, WECOM, DINGTALK)"));
      }
      types.insert(type);
    }
    route->clear_channel_types();
    for (int type : types) route->add_channel_types(static_cast<v1::ChannelType>(type));
  }
  std::sort(p->mutable_routes()->begin(), p->mutable_routes()->end(),
            [](const v1::Route& a, const v1::Route& b) { return a.kind() < b.kind(); });
  if (p->quiet_start().empty() != p->quiet_end().empty()) {
    return absl::InvalidArgumentError(
        "preferences.quiet_start: give both the start and the end of quiet hours, or neither");
  }
  if (!p->quiet_start().empty()) {
    absl::StatusOr<int> start = ParseMinute("preferences.quiet_start", p->quiet_start());
    if (!start.ok()) return start.status();
    absl::StatusOr<int> end = ParseMinute("preferences.quiet_end", p->quiet_end());
    if (!end.ok()) return end.status();
    if (*start == *end) {
      p->clear_quiet_start();
      p->clear_quiet_end();
    }
  }
  return absl::OkStatus();
}

std::vector<v1::ChannelType> ChannelTypesFor(const v1::Preferences& p, v1::Kind kind) {
  for (const v1::Route& route : p.routes()) {
    if (route.kind() != kind) continue;
    std::vector<v1::ChannelType> types;
    for (int type : route.channel_types()) types.push_back(static_cast<v1::ChannelType>(type));
    return types;
  }
  if (kind == v1::KIND_ESCALATION || kind == v1::KIND_SUPERVISOR_NOTICE) {
    return {v1::CHANNEL_TYPE_WECOM, v1::CHANNEL_TYPE_DINGTALK, v1::CHANNEL_TYPE_SMS};
  }
  if (kind == v1::KIND_REQUEST) return {v1::CHANNEL_TYPE_WECOM, v1::CHANNEL_TYPE_DINGTALK};
  if (kind == v1::KIND_ALERT || kind == v1::KIND_REMINDER_DIGEST) return {v1::CHANNEL_TYPE_EMAIL};
  return {};
}

absl::Time PersonalSendTime(const v1::Preferences& p, v1::Kind kind, absl::Time now) {
  if (IgnoresQuietHours(kind) || p.quiet_start().empty()) return now;
  absl::StatusOr<int> start = ParseMinute("quiet_start", p.quiet_start());
  absl::StatusOr<int> end = ParseMinute("quiet_end", p.quiet_end());
  if (!start.ok() || !end.ok()) return now;  // stored only after CheckPreferences
  return QuietHours{*start, *end}.EndAfter(now);
}

}  // namespace uplift::notify
