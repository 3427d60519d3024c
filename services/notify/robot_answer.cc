// Robot answers: errcode to delivered, retry or refused.
#include "services/notify/robot_answer.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <set>

#include "absl/strings/str_cat.h"

namespace uplift::notify {
namespace {

bool RateLimited(v1::ChannelType type, int code) {
  return type == v1::CHANNEL_TYPE_WECOM ? code == 45009 : code == 130101;
}

bool Refused(v1::ChannelType type, int code) {
  static const std::set<int> kWeCom = {40008, 40058, 93000, 93004, 93008};
  static const std::set<int> kDingTalk = {300001, 300005, 310000, 400101, 400102};
  return (type == v1::CHANNEL_TYPE_WECOM ? kWeCom : kDingTalk).count(code) > 0;
}

}  // namespace

WebhookResult InterpretRobotAnswer(v1::ChannelType type, WebhookResult raw) {
  if (raw.http_status < 200 || raw.http_status >= 300) return raw;
  google::protobuf::Struct answer;
  const auto& fields = answer.fields();
  if (!google::protobuf::util::JsonStringToMessage(raw.answer, &answer).ok() ||
      !fields.count("errcode") || !fields.at("errcode").has_number_value()) {
    raw.http_status = 502;
    raw.error = "机器人应答不是 {\"errcode\": …}";
    return raw;
  }
  const int code = static_cast<int>(fields.at("errcode").number_value());
  if (code == 0) return raw;
  const std::string message =
      fields.count("errmsg") ? fields.at("errmsg").string_value().substr(0, 200) : "";
  raw.error = absl::StrCat("机器人返回 errcode ", code, message.empty() ? "" : "：", message);
  raw.http_status = RateLimited(type, code) ? 429 : Refused(type, code) ? 400 : 503;
  return raw;
}

}  // namespace uplift::notify
