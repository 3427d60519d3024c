// The actions a person may take on a problem, as uplift-tasks' ladder rules
// them: the owner of the current rung (role fitting the rung, and its unit)
// accepts, resolves, returns (above the township rung), escalates (below
// the top) and asks for a later deadline (延期, one request at a time); the
// unit named to approve a waiting request decides it; the plan owner rules
// on a problem returned twice (裁定) and sends one straight up to the
// liaison leader or the provincial offices (提级); once it is resolved, the
// enterprise's township, the plan owner or an ADMIN records satisfaction
// (回访) and reopens it. At the department rung the plan owner asks other
// departments to co-handle (会商), and each co-handler answers until the
// problem is resolved or leaves the rung. The console offers these and
// nothing else.
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  CoHandler_State,
  ProblemState,
  Rung,
  type Plan,
  type Problem,
} from "@/gen/uplift/tasks/v1/tasks_pb";
import { UnitKind } from "@/gen/uplift/registry/v1/registry_pb";

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
  | "skip"
  | "co-handle"
  | "answer-co-handling";

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
  if (planOwner && p.rung === Rung.DEPARTMENT) out.push("co-handle");
  const coHandling = p.coHandlers.some(
    (c) =>
      c.unitId === unitId &&
      (c.state === CoHandler_State.WAITING ||
        c.state === CoHandler_State.ANSWERED),
  );
  if (
    coHandling &&
    unitId !== "" &&
    (role === Role.DEPARTMENT || role === Role.PLAN_OWNER)
  ) {
    out.push("answer-co-handling");
  }
  return out;
}

// The departments 会商 may ask to co-handle `p`: the plan's departments but
// the one that owns the problem and those still to answer.
export function coHandlerChoices(
  p: Problem,
  plan: Plan | null,
): { unitId: string; name: string }[] {
  const waiting = new Set(
    p.coHandlers
      .filter((c) => c.state === CoHandler_State.WAITING)
      .map((c) => c.unitId),
  );
  return (plan?.units ?? [])
    .filter(
      (u) =>
        u.kind === UnitKind.DEPARTMENT &&
        u.unitId !== p.ownerUnitId &&
        !waiting.has(u.unitId),
    )
    .map((u) => ({ unitId: u.unitId, name: u.name }));
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
  "co-handle": {
    label: "会商协办",
    prompt: "会商事由（请协办单位研究什么）",
    field: "reason",
  },
  "answer-co-handling": {
    label: "反馈会商意见",
    prompt: "会商意见",
    field: "answer",
  },
};

export const CO_HANDLER_STATE_NAMES: Record<number, string> = {
  [CoHandler_State.WAITING]: "待反馈",
  [CoHandler_State.ANSWERED]: "已反馈",
  [CoHandler_State.ENDED]: "已结束",
};
