// What a person may do about a task's 销号, as uplift-tasks rules it: the
// task's lead unit (its first responsible unit; an account of that unit in
// a role that may lead a task) submits its completion while nothing waits
// and it is not closed; the plan owner's account confirms or returns a
// submission. The evidence is typed one document or link per line. The
// 工作台 lists what of it waits for the person's unit (closureWork).
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import { ClosureState, type TaskView } from "@/gen/uplift/tasks/v1/tasks_pb";

export interface ClosureActions {
  submit: boolean;
  decide: boolean;
}

const LEAD_ROLES = [Role.PLAN_OWNER, Role.DEPARTMENT, Role.TOWNSHIP];

export function closureActions(
  view: TaskView,
  role: Role,
  unitId: string,
  planOwnerUnitId: string,
): ClosureActions {
  const lead = view.task?.responsibleUnitIds[0] ?? "";
  const state = view.closureState;
  return {
    submit:
      unitId !== "" &&
      unitId === lead &&
      LEAD_ROLES.includes(role) &&
      state !== ClosureState.SUBMITTED &&
      state !== ClosureState.CONFIRMED,
    decide:
      role === Role.PLAN_OWNER &&
      unitId !== "" &&
      unitId === planOwnerUnitId &&
      state === ClosureState.SUBMITTED,
  };
}

// The evidence lines as the service takes them: trimmed, blank lines dropped.
export function evidenceLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

// A task whose 销号 waits for the person's unit, and why in words.
export interface ClosureWork {
  view: TaskView;
  why: string;
}

// Submissions the plan owner must decide, and returns the lead unit must
// answer (with the plan owner's reason), in the order given.
export function closureWork(
  views: TaskView[],
  role: Role,
  unitId: string,
  planOwnerUnitId: string,
): ClosureWork[] {
  const out: ClosureWork[] = [];
  const seen = new Set<string>();
  for (const view of views) {
    const id = view.task?.taskId ?? "";
    if (seen.has(id)) continue;
    seen.add(id);
    const can = closureActions(view, role, unitId, planOwnerUnitId);
    if (can.decide) {
      out.push({ view, why: "待确认销号" });
    } else if (can.submit && view.closureState === ClosureState.RETURNED) {
      const reason = view.closureSteps.at(-1)?.text ?? "";
      out.push({ view, why: reason ? `销号被退回：${reason}` : "销号被退回" });
    }
  }
  return out;
}
