// Chinese words for the contracts' enums, as people in the plan say them.
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  ChannelType,
  DeliveryState,
  Kind,
} from "@/gen/uplift/notify/v1/notify_pb";
import { Tier } from "@/gen/uplift/registry/v1/registry_pb";
import {
  MilestoneKind,
  ProjectKind,
  ProjectLight,
  ProjectPhase,
  ProjectSource,
  ProjectStep_Action,
} from "@/gen/uplift/tasks/v1/projects_pb";
import {
  ClosureState,
  ProblemState,
  ProblemStep_Action,
  Rung,
  TaskStatus,
} from "@/gen/uplift/tasks/v1/tasks_pb";

export const ROLE_NAMES: Record<number, string> = {
  [Role.ADMIN]: "系统管理员",
  [Role.PLAN_OWNER]: "牵头部门",
  [Role.DEPARTMENT]: "市直部门",
  [Role.TOWNSHIP]: "乡镇（街道、开发区）",
  [Role.LEADER]: "包联市领导",
  [Role.PROVINCE]: "省市部门",
  [Role.VIEWER]: "只读",
};

export const RUNG_NAMES: Record<number, string> = {
  [Rung.TOWNSHIP]: "乡镇工作专班",
  [Rung.DEPARTMENT]: "市直部门",
  [Rung.CITY_LEADER]: "包联市领导",
  [Rung.PROVINCE_PREFECTURE]: "省、市部门",
};

export const STATE_NAMES: Record<number, string> = {
  [ProblemState.OPEN]: "待受理",
  [ProblemState.ACCEPTED]: "办理中",
  [ProblemState.RESOLVED]: "已办结",
  [ProblemState.AWAITING_RULING]: "待裁定",
};

export const ACTION_NAMES: Record<number, string> = {
  [ProblemStep_Action.RAISED]: "提出",
  [ProblemStep_Action.ACCEPTED]: "受理",
  [ProblemStep_Action.RESOLVED]: "办结",
  [ProblemStep_Action.RETURNED]: "退回",
  [ProblemStep_Action.ESCALATED]: "上报",
  [ProblemStep_Action.AUTO_ESCALATED]: "超期自动上报",
  [ProblemStep_Action.SATISFACTION]: "回访",
  [ProblemStep_Action.REOPENED]: "重新办理",
  [ProblemStep_Action.OVERDUE_AT_TOP]: "最高层级超期",
  [ProblemStep_Action.TRANSFERRED]: "转办",
  [ProblemStep_Action.SENT_FOR_RULING]: "再次退回，提请裁定",
  [ProblemStep_Action.RULED]: "裁定",
  [ProblemStep_Action.SKIPPED_UP]: "提级",
  [ProblemStep_Action.EXTENSION_REQUESTED]: "申请延期",
  [ProblemStep_Action.EXTENDED]: "延期获批",
  [ProblemStep_Action.EXTENSION_REFUSED]: "延期未获批",
  [ProblemStep_Action.CO_HANDLERS_ADDED]: "会商协办",
  [ProblemStep_Action.CO_HANDLER_ANSWERED]: "会商意见",
  [ProblemStep_Action.CO_HANDLER_OVERDUE]: "协办逾期",
};

// A 销号 step by the state it leads to.
export const CLOSURE_STEP_NAMES: Record<number, string> = {
  [ClosureState.SUBMITTED]: "提请销号",
  [ClosureState.CONFIRMED]: "确认销号",
  [ClosureState.RETURNED]: "退回",
};

export interface StatusColour {
  name: string;
  tag: "danger" | "warning" | "primary" | "success" | "info";
}

// The names of a colour table, for a filter.
export function colourNames(
  colours: Record<number, StatusColour>,
): Record<number, string> {
  return Object.fromEntries(
    Object.entries(colours).map(([k, c]) => [k, c.name]),
  );
}

export const TASK_COLOURS: Record<number, StatusColour> = {
  [TaskStatus.OVERDUE]: { name: "红", tag: "danger" },
  [TaskStatus.BEHIND_PACE]: { name: "黄", tag: "warning" },
  [TaskStatus.NEAR_DEADLINE]: { name: "蓝", tag: "primary" },
  [TaskStatus.ON_TRACK]: { name: "正常", tag: "success" },
  [TaskStatus.DONE]: { name: "已销号", tag: "info" },
  [TaskStatus.AWAITING_CLOSURE]: { name: "待销号", tag: "primary" },
};

export const KIND_NAMES: Record<number, string> = {
  [Kind.ESCALATION]: "问题上报",
  [Kind.SUPERVISOR_NOTICE]: "未确认提醒",
  [Kind.REMINDER]: "月报提醒",
  [Kind.REMINDER_DIGEST]: "提醒汇总",
  [Kind.ALERT]: "指标预警",
  [Kind.REQUEST]: "待办请求",
};

export const TIER_NAMES: Record<number, string> = {
  [Tier.INNOVATIVE_SME]: "创新型中小企业",
  [Tier.SPECIALIZED_SME]: "专精特新中小企业",
  [Tier.LITTLE_GIANT]: "专精特新“小巨人”",
  [Tier.SINGLE_CHAMPION]: "制造业单项冠军",
  [Tier.FRONT_RUNNER]: "领跑者",
  [Tier.HIGH_TECH]: "高新技术企业",
  [Tier.TECH_SME]: "科技型中小企业",
  [Tier.TECH_LEADER]: "科技领军企业",
  [Tier.GAZELLE]: "瞪羚企业",
  [Tier.GREEN_BENCHMARK]: "绿色制造标杆",
  [Tier.INDUSTRIAL_DESIGN_CENTER]: "工业设计中心",
};

export const LEVEL_NAMES: Record<number, string> = {
  1: "县级",
  2: "市级",
  3: "省级",
  4: "国家级",
};

export const LISTING_STAGE_NAMES: Record<number, string> = {
  0: "未入库",
  1: "入库",
  2: "股改",
  3: "辅导",
  4: "审核",
  5: "注册",
  6: "挂牌上市",
};

export const POOL_NAMES: Record<number, string> = {
  1: "挂牌上市后备资源库",
  2: "规上工业企业培育库",
};

export const POOL_ACTION_NAMES: Record<number, string> = {
  1: "入库",
  2: "阶段推进",
  3: "出库",
  4: "升规出库",
};

export const CHANNEL_TYPE_NAMES: Record<number, string> = {
  [ChannelType.INBOX]: "站内消息",
  [ChannelType.WEBHOOK]: "系统推送",
  [ChannelType.WECOM]: "企业微信机器人",
  [ChannelType.DINGTALK]: "钉钉机器人",
  [ChannelType.EMAIL]: "电子邮件",
  [ChannelType.SMS]: "短信",
};

// A delivery's way (see DeliveryState in notify.proto).
export const DELIVERY_STATE_NAMES: Record<number, string> = {
  [DeliveryState.PENDING]: "排队中",
  [DeliveryState.SENDING]: "发送中",
  [DeliveryState.SENT]: "已发出",
  [DeliveryState.DELIVERED]: "已送达",
  [DeliveryState.DEAD]: "失败",
  [DeliveryState.STALE]: "已过时",
};

// 项目台账 (docs/projects.md).
export const PHASE_NAMES: Record<number, string> = {
  [ProjectPhase.PLANNING]: "谋划",
  [ProjectPhase.SIGNED]: "签约",
  [ProjectPhase.PREPARATION]: "前期",
  [ProjectPhase.CONSTRUCTION]: "在建",
  [ProjectPhase.PRODUCTION]: "投产",
  [ProjectPhase.FULL_PRODUCTION]: "达产",
  [ProjectPhase.SUSPENDED]: "停缓建",
};

export const MILESTONE_NAMES: Record<number, string> = {
  [MilestoneKind.SIGNED]: "签约",
  [MilestoneKind.LANDED]: "落地",
  [MilestoneKind.STARTED]: "开工",
  [MilestoneKind.IN_PRODUCTION]: "投产",
  [MilestoneKind.IN_STATISTICS]: "入统",
};

export const PROJECT_KIND_NAMES: Record<number, string> = {
  [ProjectKind.NEW]: "新建",
  [ProjectKind.RENOVATION]: "技改",
  [ProjectKind.EXPANSION]: "扩建",
};

export const PROJECT_SOURCE_NAMES: Record<number, string> = {
  [ProjectSource.INVESTMENT_ATTRACTION]: "招商引资",
  [ProjectSource.BEIJING_TIANJIN]: "京津冀转移",
  [ProjectSource.LOCAL_EXPANSION]: "本地企业扩产",
};

export const PROJECT_LIGHTS: Record<number, StatusColour> = {
  [ProjectLight.RED]: { name: "红", tag: "danger" },
  [ProjectLight.YELLOW]: { name: "黄", tag: "warning" },
  [ProjectLight.GREEN]: { name: "正常", tag: "success" },
};

export const PROJECT_STEP_NAMES: Record<number, string> = {
  [ProjectStep_Action.CREATED]: "录入",
  [ProjectStep_Action.ADVANCED]: "阶段推进",
  [ProjectStep_Action.SUSPENDED]: "停缓建",
  [ProjectStep_Action.RESUMED]: "复工",
  [ProjectStep_Action.MILESTONE_REACHED]: "节点完成",
  [ProjectStep_Action.MILESTONE_REPLANNED]: "节点改期",
  [ProjectStep_Action.TOTAL_REVISED]: "调整总投资",
};
