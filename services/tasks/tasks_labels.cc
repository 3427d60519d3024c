// Label tables of the tasks service.
#include "services/tasks/tasks_labels.h"

#include <utility>
#include <vector>

#include "common/enum_labels.h"

namespace uplift::tasks {
namespace {

template <typename E>
using Labels = EnumLabels<E>;

const Labels<v1::TaskStatus> kStatus = {
    {v1::TASK_STATUS_ON_TRACK, "正常"},
    {v1::TASK_STATUS_NEAR_DEADLINE, "蓝色(临近时限)"},
    {v1::TASK_STATUS_BEHIND_PACE, "黄色(进度滞后)"},
    {v1::TASK_STATUS_OVERDUE, "红色(逾期)"},
    {v1::TASK_STATUS_DONE, "已销号"},
    {v1::TASK_STATUS_AWAITING_CLOSURE, "待销号"},
};
const Labels<v1::ClosureState> kClosure = {
    {v1::CLOSURE_STATE_SUBMITTED, "提请销号"},
    {v1::CLOSURE_STATE_CONFIRMED, "确认销号"},
    {v1::CLOSURE_STATE_RETURNED, "退回"},
};
const Labels<v1::ProblemState> kState = {
    {v1::PROBLEM_STATE_OPEN, "待受理"},
    {v1::PROBLEM_STATE_ACCEPTED, "办理中"},
    {v1::PROBLEM_STATE_RESOLVED, "已办结"},
    {v1::PROBLEM_STATE_AWAITING_RULING, "待裁定"},
};
const Labels<v1::ProblemStep::Action> kAction = {
    {v1::ProblemStep::ACTION_RAISED, "提出"},
    {v1::ProblemStep::ACTION_ACCEPTED, "受理"},
    {v1::ProblemStep::ACTION_RESOLVED, "办结"},
    {v1::ProblemStep::ACTION_RETURNED, "退回"},
    {v1::ProblemStep::ACTION_ESCALATED, "上报"},
    {v1::ProblemStep::ACTION_AUTO_ESCALATED, "超时自动上报"},
    {v1::ProblemStep::ACTION_SATISFACTION, "回访"},
    {v1::ProblemStep::ACTION_REOPENED, "重新办理"},
    {v1::ProblemStep::ACTION_OVERDUE_AT_TOP, "逾期督办"},
    {v1::ProblemStep::ACTION_TRANSFERRED, "转交"},
    {v1::ProblemStep::ACTION_SENT_FOR_RULING, "再次退回，提请裁定"},
    {v1::ProblemStep::ACTION_RULED, "裁定"},
    {v1::ProblemStep::ACTION_SKIPPED_UP, "提级"},
    {v1::ProblemStep::ACTION_EXTENSION_REQUESTED, "申请延期"},
    {v1::ProblemStep::ACTION_EXTENDED, "延期获批"},
    {v1::ProblemStep::ACTION_EXTENSION_REFUSED, "延期未获批"},
    {v1::ProblemStep::ACTION_CO_HANDLERS_ADDED, "会商协办"},
    {v1::ProblemStep::ACTION_CO_HANDLER_ANSWERED, "会商意见"},
    {v1::ProblemStep::ACTION_CO_HANDLER_OVERDUE, "协办逾期"},
};
const Labels<v1::Satisfaction> kSatisfaction = {
    {v1::SATISFACTION_SATISFIED, "满意"},
    {v1::SATISFACTION_BASICALLY_SATISFIED, "基本满意"},
    {v1::SATISFACTION_DISSATISFIED, "不满意"},
};
const Labels<v1::CoHandler::State> kCoHandlerState = {
    {v1::CoHandler::STATE_WAITING, "待反馈"},
    {v1::CoHandler::STATE_ANSWERED, "已反馈"},
    {v1::CoHandler::STATE_ENDED, "已结束"},
};
const Labels<v1::Rung> kRung = {
    {v1::RUNG_TOWNSHIP, "乡镇工作专班"},
    {v1::RUNG_DEPARTMENT, "市直部门"},
    {v1::RUNG_CITY_LEADER, "包联市领导"},
    {v1::RUNG_PROVINCE_PREFECTURE, "省、市部门"},
};

}  // namespace

std::string RungLabel(v1::Rung rung) {
  switch (rung) {
    case v1::RUNG_TOWNSHIP: return "乡镇工作专班";
    case v1::RUNG_DEPARTMENT: return "市直部门";
    case v1::RUNG_CITY_LEADER: return "包联市领导";
    case v1::RUNG_PROVINCE_PREFECTURE: return "省、市部门";
    default: return "未指定";
  }
}

std::string TaskStatusLabel(v1::TaskStatus s) { return LabelOf(kStatus, s); }
std::string ClosureStepLabel(v1::ClosureState s) { return LabelOf(kClosure, s); }
std::string ProblemStateLabel(v1::ProblemState s) { return LabelOf(kState, s); }
std::string StepActionLabel(v1::ProblemStep::Action a) { return LabelOf(kAction, a); }
std::string SatisfactionLabel(v1::Satisfaction s) { return LabelOf(kSatisfaction, s); }
std::string CoHandlerStateLabel(v1::CoHandler::State s) { return LabelOf(kCoHandlerState, s); }

std::string CountedByLabel(v1::CountedBy c) {
  switch (c) {
    case v1::COUNTED_BY_REGISTRY:
      return "企业库称号认定";
    case v1::COUNTED_BY_INDICATORS:
      return "企业月度指标";
    case v1::COUNTED_BY_UNIT_REPORTS:
      return "责任单位月报";
    case v1::COUNTED_BY_ACTIVITIES:
      return "服务活动台账";
    default:
      return "未指定";
  }
}

std::string MetricLabel(v1::Metric m) {
  switch (m) {
    case v1::METRIC_CLUSTER_REVENUE_GROWTH: return "集群营业收入同比增长";
    case v1::METRIC_NEW_FRONT_RUNNER:
      return "新培育“领跑者”企业";
    case v1::METRIC_NEW_SPECIALIZED_SME: return "新培育专精特新中小企业";
    case v1::METRIC_NEW_LITTLE_GIANT:
      return "新培育专精特新“小巨人”";
    case v1::METRIC_NEW_SINGLE_CHAMPION: return "新培育省级以上单项冠军";
    case v1::METRIC_NEW_TECH_LEADER: return "新增科技领军企业";
    case v1::METRIC_NEW_HIGH_TECH: return "新增高新技术企业";
    case v1::METRIC_TECH_DIAGNOSIS_COVERAGE: return "科技巡诊覆盖率";
    case v1::METRIC_NEW_INNOVATION_PLATFORM: return "新增省级以上创新平台";
    case v1::METRIC_NEW_INNOVATION_ALLIANCE: return "备案产业技术创新联盟";
    case v1::METRIC_INTEGRATION_ASSESSMENT_COVERAGE: return "两化融合评估覆盖率";
    case v1::METRIC_QUALITY_SYSTEM_BUILT: return "建立质量管理体系企业";
    case v1::METRIC_TQM_STRENGTHENED: return "加强全面质量管理企业";
    case v1::METRIC_INDUSTRIAL_DESIGN_SERVED: return "工业设计服务企业";
    case v1::METRIC_NEW_STANDARDS: return "新增标准";
    case v1::METRIC_SERVICE_EVENTS: return "服务活动场次";
    case v1::METRIC_ENTERPRISE_SERVICES: return "服务企业家次";
    case v1::METRIC_KEY_CLUSTER_COVERAGE:
      return "重点产业集群服务覆盖率";
    case v1::METRIC_FINANCIAL_SERVICE_COVERAGE:
      return "“领跑者”金融服务覆盖率";
    default: return "";
  }
}

bool ParseTaskStatus(absl::string_view text, v1::TaskStatus* out) {
  return ParseEnumLabel(kStatus, "TASK_STATUS_", [](v1::TaskStatus e) { return v1::TaskStatus_Name(e); },
                 text, out);
}
bool ParseProblemState(absl::string_view text, v1::ProblemState* out) {
  return ParseEnumLabel(kState, "PROBLEM_STATE_",
                 [](v1::ProblemState e) { return v1::ProblemState_Name(e); }, text, out);
}
bool ParseRung(absl::string_view text, v1::Rung* out) {
  return ParseEnumLabel(kRung, "RUNG_", [](v1::Rung e) { return v1::Rung_Name(e); }, text, out);
}
bool ParseSatisfaction(absl::string_view text, v1::Satisfaction* out) {
  return ParseEnumLabel(kSatisfaction, "SATISFACTION_",
                 [](v1::Satisfaction e) { return v1::Satisfaction_Name(e); }, text, out);
}

}  // namespace uplift::tasks
