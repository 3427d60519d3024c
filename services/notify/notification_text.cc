// Notification texts.
#include "services/notify/notification_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/time_util.h"
#include "services/tasks/tasks_labels.h"

namespace uplift::notify {

using uplift::tasks::RungLabel;

std::string DeadlineWords(absl::Time deadline, absl::Time now, const WorkingCalendar& calendar) {
  if (deadline <= now) {
    const absl::CivilDay day = ShanghaiDay(deadline - absl::Seconds(1));
    return absl::StrCat(day.month(), "月", day.day(), "日（已超期）");
  }
  // Working days are counted day by day: a deadline over a year away (no
  // problem has one) is shown as a date, not counted.
  if (deadline - now > absl::Hours(24 * 366)) {
    return absl::FormatTime("%Y年%m月%d日", deadline, ShanghaiTime());
  }
  // A deadline is the end (24:00) of its day: the day is the one before.
  const absl::CivilDay day = ShanghaiDay(deadline - absl::Seconds(1));
  const absl::CivilDay today = ShanghaiDay(now);
  const std::string date = absl::StrCat(day.month(), "月", day.day(), "日");
  if (day == today) return absl::StrCat(date, "（今日到期）");
  return absl::StrCat(date, "（还有", calendar.WorkingDaysBetween(today, day), "个工作日）");
}

v1::Notice FromEscalation(const uplift::tasks::v1::ProblemEscalated& e, absl::Time now,
                          const WorkingCalendar& calendar) {
  v1::Notice n;
  n.set_unit_id(e.new_owner_unit_id());
  n.set_kind(v1::KIND_ESCALATION);
  n.set_requires_ack(true);
  // Names, never ids: the registry's names travel with the event; a rung
  // stands in for a name that did not.
  const std::string from =
      e.from_unit_name().empty() ? RungLabel(e.from_rung()) : e.from_unit_name();
  const std::string to =
      e.new_owner_unit_name().empty() ? RungLabel(e.to_rung()) : e.new_owner_unit_name();
  std::string reason(absl::StripSuffix(e.reason(), "。"));
  n.set_title(absl::StrCat("问题上报：", e.enterprise_name(), "「", e.title(), "」"));
  std::string body = absl::StrCat(e.automatic() ? "超过办理时限未办结，已自动" : "", "由", from,
                                  "上报至", to, "，理由：", reason);
  if (e.has_deadline()) {
    absl::StrAppend(&body, "，办理时限：",
                    DeadlineWords(FromProtoTimestamp(e.deadline()), now, calendar));
  }
  n.set_body(body + "。");
  auto& a = *n.mutable_attributes();
  a["problem_id"] = e.problem_id();
  a["credit_code"] = e.credit_code();
  a["enterprise_name"] = e.enterprise_name();
  a["category"] = e.category();
  a["rung"] = uplift::tasks::v1::Rung_Name(e.to_rung());
  a["from_unit_id"] = e.from_unit_id();
  a["from_unit_name"] = e.from_unit_name().empty() ? e.from_unit_id() : e.from_unit_name();
  if (!e.new_owner_unit_name().empty()) a["unit_name"] = e.new_owner_unit_name();
  a["deadline"] = FormatRfc3339(FromProtoTimestamp(e.deadline()));
  a["automatic"] = e.automatic() ? "true" : "false";
  a["escalation_number"] = absl::StrCat(e.escalation_number());
  return n;
}

v1::Notice FromRequest(const uplift::tasks::v1::ActionRequested& r, absl::Time now,
                       const WorkingCalendar& calendar) {
  using Request = uplift::tasks::v1::ActionRequested;
  v1::Notice n;
  n.set_unit_id(r.unit_id());
  n.set_kind(v1::KIND_REQUEST);
  const std::string from = r.from_unit_name().empty() ? r.from_unit_id() : r.from_unit_name();
  const std::string text(absl::StripSuffix(r.text(), "。"));
  switch (r.action()) {
    case Request::ACTION_DECIDE_EXTENSION:
      n.set_title(absl::StrCat("延期审批：「", r.title(), "」"));
      n.set_body(absl::StrCat(
          from, "申请将办理时限延至",
          r.has_deadline() ? DeadlineWords(FromProtoTimestamp(r.deadline()), now, calendar) : "",
          "，理由：", text, "。请批准或不予批准。"));
      break;
    case Request::ACTION_RULE:
      n.set_title(absl::StrCat("待裁定：「", r.title(), "」"));
      n.set_body(absl::StrCat("问题在", from, "与上一层级之间再次退回，理由：", text,
                              "。请裁定由哪一层级办理。"));
      break;
    case Request::ACTION_CONFIRM_CLOSURE:
      n.set_title(absl::StrCat("销号确认：", r.title()));
      n.set_body(absl::StrCat(from, "提请销号：", text, "。请确认销号或退回。"));
      break;
    case Request::ACTION_RESUBMIT_CLOSURE:
      n.set_title(absl::StrCat("销号退回：", r.title()));
      n.set_body(absl::StrCat(from, "退回了销号申请，理由：", text, "。请补充后重新提请。"));
      break;
    case Request::ACTION_CO_HANDLE: {
      const std::string by =
          r.has_deadline() ? DeadlineWords(FromProtoTimestamp(r.deadline()), now, calendar) : "";
      if (r.overdue()) {
        n.set_title(absl::StrCat("会商意见逾期：「", r.title(), "」"));
        n.set_body(
            absl::StrCat("贵单位作为协办单位的会商意见时限为", by, "，尚未反馈，请尽快反馈。"));
      } else {
        n.set_title(absl::StrCat("会商协办：「", r.title(), "」"));
        n.set_body(
            absl::StrCat(from, "请贵单位参与会商。", text, "。请于", by, "前反馈会商意见。"));
      }
      break;
    }
    default:
      n.set_title(r.title());
      n.set_body(text);
  }
  auto& a = *n.mutable_attributes();
  a["action"] = Request::Action_Name(r.action());
  a["plan_id"] = r.plan_id();
  a["subject"] = r.subject();
  if (!r.problem_id().empty()) a["problem_id"] = r.problem_id();
  if (!r.task_id().empty()) a["task_id"] = r.task_id();
  a["from_unit_id"] = r.from_unit_id();
  a["from_unit_name"] = from;
  if (!r.unit_name().empty()) a["unit_name"] = r.unit_name();
  if (r.has_deadline()) a["deadline"] = FormatRfc3339(FromProtoTimestamp(r.deadline()));
  return n;
}

v1::Notice FromReminder(const uplift::tasks::v1::ProgressReminder& r) {
  v1::Notice n;
  n.set_unit_id(r.unit_id());
  n.set_kind(v1::KIND_REMINDER);
  n.set_title(absl::StrCat("月报提醒：", r.task_number(), " ", r.task_title()));
  n.set_body(absl::StrCat(r.period(), " 月进展尚未报送，应于 ", r.due_on(), " 前报送。"));
  auto& a = *n.mutable_attributes();
  a["plan_id"] = r.plan_id();
  a["task_id"] = r.task_id();
  a["period"] = r.period();
  a["due_on"] = r.due_on();
  return n;
}

std::vector<v1::Notice> FromAlert(const uplift::indicators::v1::IndicatorAlert& alert) {
  std::vector<v1::Notice> out;
  for (const std::string& unit : alert.recipient_unit_ids()) {
    v1::Notice n;
    n.set_unit_id(unit);
    n.set_kind(v1::KIND_ALERT);
    n.set_title(alert.title().empty() ? absl::StrCat("指标预警：", alert.target_id()) : alert.title());
    n.set_body(alert.message());
    auto& a = *n.mutable_attributes();
    a["plan_id"] = alert.plan_id();
    a["target_id"] = alert.target_id();
    a["period"] = alert.period();
    a["achieved"] = absl::StrCat(alert.achieved());
    a["expected"] = absl::StrCat(alert.expected());
    out.push_back(std::move(n));
  }
  return out;
}

std::string DurationWords(absl::Duration d) {
  const int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes >= 24 * 60 && minutes % (24 * 60) == 0)
    return absl::StrCat(minutes / (24 * 60), "天");
  if (minutes >= 60 && minutes % 60 == 0) return absl::StrCat(minutes / 60, "小时");
  if (minutes >= 60) return absl::StrCat(minutes / 60, "小时", minutes % 60, "分钟");
  return absl::StrCat(std::max<int64_t>(minutes, 1), "分钟");
}

v1::Notice SupervisorNotice(const v1::Notice& unacked, const std::string& supervisor,
                            const std::string& unit_name, absl::Duration waited) {
  const std::string who = unit_name.empty() ? unacked.unit_id() : unit_name;
  v1::Notice n;
  n.set_unit_id(supervisor);
  n.set_kind(v1::KIND_SUPERVISOR_NOTICE);
  n.set_requires_ack(true);
  n.set_on_behalf_of_unit_id(unacked.unit_id());
  n.set_title(absl::StrCat("未确认提醒：", who, " 未确认「", unacked.title(), "」"));
  n.set_body(absl::StrCat(who, "在", DurationWords(waited), "内未确认以下通知，请督促办理。\n",
                          unacked.body()));
  *n.mutable_attributes() = unacked.attributes();
  (*n.mutable_attributes())["unacknowledged_notification_id"] = unacked.notification_id();
  return n;
}

namespace {

std::string ChannelWords(v1::ChannelType type) {
  switch (type) {
    case v1::CHANNEL_TYPE_WEBHOOK:
      return "系统推送";
    case v1::CHANNEL_TYPE_WECOM:
      return "企业微信";
    case v1::CHANNEL_TYPE_DINGTALK:
      return "钉钉";
    case v1::CHANNEL_TYPE_EMAIL:
      return "电子邮件";
    case v1::CHANNEL_TYPE_SMS:
      return "短信";
    default:
      return "其他渠道";
  }
}

}  // namespace

v1::Notice UndeliverableAlert(const v1::Notice& unacked, const std::string& owner,
                              const std::string& unit_name,
                              const std::vector<v1::Delivery>& tried) {
  const std::string who = unit_name.empty() ? unacked.unit_id() : unit_name;
  v1::Notice n;
  n.set_unit_id(owner);
  n.set_kind(v1::KIND_ALERT);
  n.set_requires_ack(true);
  n.set_on_behalf_of_unit_id(unacked.unit_id());
  n.set_title(absl::StrCat("未能送达：", who, "「", unacked.title(), "」"));
  std::vector<std::string> lines;
  for (const v1::Delivery& d : tried) {
    if (d.channel_type() == v1::CHANNEL_TYPE_INBOX) continue;
    lines.push_back(absl::StrCat("· ", ChannelWords(d.channel_type()), "：",
                                 d.last_error().empty() ? "未发出" : d.last_error()));
  }
  n.set_body(absl::StrCat(
      who, "在确认时限内未收到以下通知，",
      lines.empty() ? "该单位除站内消息外没有任何通知渠道。"
                    : absl::StrCat("其通知渠道均未送达：\n", absl::StrJoin(lines, "\n"), "\n"),
      "请核实该单位的联系方式并电话告知。\n", unacked.body()));
  *n.mutable_attributes() = unacked.attributes();
  (*n.mutable_attributes())["undelivered_notification_id"] = unacked.notification_id();
  return n;
}

v1::Notice Digest(const std::string& unit_id, const std::vector<v1::Notice>& reminders) {
  v1::Notice n;
  n.set_unit_id(unit_id);
  n.set_kind(v1::KIND_REMINDER_DIGEST);
  n.set_title(absl::StrCat("待办提醒汇总（", reminders.size(), " 项）"));
  std::vector<std::string> lines;
  for (const v1::Notice& r : reminders) lines.push_back(absl::StrCat("· ", r.title(), "：", r.body()));
  n.set_body(absl::StrJoin(lines, "\n"));
  (*n.mutable_attributes())["reminders"] = absl::StrCat(reminders.size());
  return n;
}

}  // namespace uplift::notify
