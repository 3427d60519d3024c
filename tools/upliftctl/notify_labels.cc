// Labels of notification kinds, delivery states and channel types.
#include "tools/upliftctl/notify_labels.h"

#include <map>

namespace uplift::cli {

namespace nv1 = uplift::notify::v1;

std::string KindLabel(nv1::Kind k) {
  switch (k) {
    case nv1::KIND_ESCALATION:
      return "问题上报";
    case nv1::KIND_SUPERVISOR_NOTICE:
      return "未确认提醒";
    case nv1::KIND_REMINDER:
      return "月报提醒";
    case nv1::KIND_REMINDER_DIGEST:
      return "提醒汇总";
    case nv1::KIND_ALERT:
      return "指标预警";
    case nv1::KIND_REQUEST:
      return "待办请求";
    default:
      return "";
  }
}

std::string StateLabel(nv1::DeliveryState s) {
  switch (s) {
    case nv1::DELIVERY_STATE_PENDING:
      return "排队中";
    case nv1::DELIVERY_STATE_SENDING:
      return "发送中";
    case nv1::DELIVERY_STATE_SENT:
      return "已发出";
    case nv1::DELIVERY_STATE_DELIVERED:
      return "已送达";
    case nv1::DELIVERY_STATE_DEAD:
      return "失败";
    case nv1::DELIVERY_STATE_STALE:
      return "已过时";
    default:
      return "";
  }
}

std::string ChannelTypeLabel(nv1::ChannelType type) {
  switch (type) {
    case nv1::CHANNEL_TYPE_INBOX:
      return "站内消息";
    case nv1::CHANNEL_TYPE_WECOM:
      return "企业微信机器人";
    case nv1::CHANNEL_TYPE_DINGTALK:
      return "钉钉机器人";
    case nv1::CHANNEL_TYPE_EMAIL:
      return "电子邮件";
    case nv1::CHANNEL_TYPE_SMS:
      return "短信";
    default:
      return "系统推送";
  }
}

std::optional<nv1::ChannelType> ChannelTypeOfWord(const std::string& word) {
  static const auto* types =
      new std::map<std::string, nv1::ChannelType>{{"webhook", nv1::CHANNEL_TYPE_WEBHOOK},
                                                  {"wecom", nv1::CHANNEL_TYPE_WECOM},
                                                  {"dingtalk", nv1::CHANNEL_TYPE_DINGTALK},
                                                  {"email", nv1::CHANNEL_TYPE_EMAIL},
                                                  {"sms", nv1::CHANNEL_TYPE_SMS}};
  const auto it = types->find(word);
  if (it == types->end()) return std::nullopt;
  return it->second;
}

}  // namespace uplift::cli
