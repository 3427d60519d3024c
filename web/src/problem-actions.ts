// The actions a person may take on a problem, as uplift-tasks' ladder rules
// them: the owner of the current rung (role fitting the rung, and its unit)
// accepts, resolves, returns (above the township rung) and escalates (below
// the top); once it is resolved, the enterprise's township, the plan owner
// or an ADMIN records satisfaction (回访) and reopens it. The console offers these and nothing else.
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  ProblemState,
  Rung,
  type Problem,
} from "@/gen/uplift/tasks/v1/tasks_pb";

export type ProblemAction =
  "accept" | "resolve" | "return" | "escalate" | "satisfaction" | "reopen";

const RUNG_ROLES: Record<number, Role[]> = {
  [Rung.TOWNSHIP]: [Role.TOWNSHIP],
  [Rung.DEPARTMENT]: [Role.DEPARTMENT, Role.PLAN_OWNER],
  [Rung.CITY_LEADER]: [Role.LEADER],
  [Rung.PROVINCE_PREFECTURE]: [Role.PROVINCE],
};

export function allowedActions(
  p: Problem,
  role: Role,
  unitId: string,
): ProblemAction[] {
  if (p.state === ProblemState.RESOLVED) {
    const township = role === Role.TOWNSHIP && unitId === p.townshipId;
    return township || role === Role.PLAN_OWNER || role === Role.ADMIN
      ? ["satisfaction", "reopen"]
      : [];
  }
  const owner =
    (RUNG_ROLES[p.rung] ?? []).includes(role) &&
    unitId !== "" &&
    unitId === p.ownerUnitId;
  if (!owner) return [];
  const out: ProblemAction[] = [];
  if (p.state === ProblemState.OPEN) out.push("accept");
  out.push("resolve");
  if (p.rung > Rung.TOWNSHIP) out.push("return");
  if (p.rung < Rung.PROVINCE_PREFECTURE) out.push("escalate");
  return out;
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
};
