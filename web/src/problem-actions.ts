// The actions a person may take on a problem, as uplift-tasks' ladder rules
// them: the owner of the current rung (role fitting the rung, and its unit)
// accepts, resolves, returns (above the township rung), escalates (below
// the top) and asks for a later deadline (延期, one request at a time); the
// unit named to approve a waiting request decides it; the plan owner rules
// on a problem returned twice (裁定) and sends one straight up to the
// liaison leader or the provincial offices (提级); once it is resolved, the
// enterprise's township, the plan owner or an ADMIN records satisfaction
// (回访) and reopens it. The console offers these and nothing else.
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  ProblemState,
  Rung,
  type Problem,
} from "@/gen/uplift/tasks/v1/tasks_pb";

export type ProblemAction =
  | "accept"
  | "resolve"
  | "return"
  | "escalate"
  | "satisfaction"
  | "reopen"
  | "extend"
  | "decide-extension"
  | "rule"
  | "skip";

const RUNG_ROLES: Record<number, Role[]> = {
  [Rung.TOWNSHIP]: [Role.TOWNSHIP],
  [Rung.DEPARTMENT]: [Role.DEPARTMENT, Role.PLAN_OWNER],
  [Rung.CITY_LEADER]: [Role.LEADER],
  [Rung.PROVINCE_PREFECTURE]: [Role.PROVINCE],
};

const APPROVER_ROLES = [
  Role.PLAN_OWNER,
  Role.DEPARTMENT,
  Role.LEADER,
  Role.PROVINCE,
];

// `planOwnerUnitId`: the unit that owns the problem's plan (牵头部门).
export function allowedActions(
  p: Problem,
  role: Role,
  unitId: string,
  planOwnerUnitId = "",
): ProblemAction[] {
  const planOwner =
    role === Role.PLAN_OWNER && unitId !== "" && unitId === planOwnerUnitId;
  if (p.state === ProblemState.RESOLVED) {
    const township = role === Role.TOWNSHIP && unitId === p.townshipId;
    return township || role === Role.PLAN_OWNER || role === Role.ADMIN
      ? ["satisfaction", "reopen"]
      : [];
  }
  if (p.state === ProblemState.AWAITING_RULING)
    return planOwner ? ["rule"] : [];
  const out: ProblemAction[] = [];
  const owner =
    (RUNG_ROLES[p.rung] ?? []).includes(role) &&
    unitId !== "" &&
    unitId === p.ownerUnitId;
  if (owner) {
    if (p.state === ProblemState.OPEN) out.push("accept");
    out.push("resolve");
    if (p.rung > Rung.TOWNSHIP) out.push("return");
    if (p.rung < Rung.PROVINCE_PREFECTURE) out.push("escalate");
    if (!p.pendingExtension) out.push("extend");
  }
  if (
    p.pendingExtension &&
    unitId !== "" &&
    unitId === p.pendingExtension.approverUnitId &&
    APPROVER_ROLES.includes(role)
  ) {
    out.push("decide-extension");
  }
  if (planOwner && p.rung < Rung.PROVINCE_PREFECTURE) out.push("skip");
  return out;
}

// The rungs 提级 may send `p` to: the liaison leader and the provincial
// offices, above where it stands.
export function skipTargets(p: Problem): Rung[] {
  return [Rung.CITY_LEADER, Rung.PROVINCE_PREFECTURE].filter((r) => r > p.rung);
}

// The two rungs a problem awaiting a ruling went between: the pair
// returned twice ("1-2") that has not been ruled on.
export function disputedRungs(p: Problem): Rung[] {
  for (const [pair, returns] of Object.entries(p.returnsBetween)) {
    if (returns < 2 || p.ruledPairs.includes(pair)) continue;
    return pair.split("-").map((r) => Number(r) as Rung);
  }
  return [];
}

export const ACTION_LABELS: Record<
  ProblemAction,
  { label: string; prompt: string; field: string }
> = {
  accept: { label: "受理", prompt: "", field: "" },
  resolve: { label: "办结", prompt: "办理结果", field: "resolution" },
  return: { label: "退回", prompt: "退回理由", field: "reason" },
  escalate: {
    label: "上报",
    prompt: "上报理由（本级无法解决的原因）",
    field: "reason",
  },
  satisfaction: { label: "回访", prompt: "回访意见", field: "comment" },
  reopen: { label: "重新办理", prompt: "重新办理的理由", field: "reason" },
  extend: { label: "申请延期", prompt: "延期理由", field: "reason" },
  "decide-extension": {
    label: "延期审批",
    prompt: "审批意见（不予批准时必填）",
    field: "reason",
  },
  rule: { label: "裁定", prompt: "裁定意见", field: "reason" },
  skip: { label: "提级", prompt: "提级理由", field: "reason" },
};
