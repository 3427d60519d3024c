// 工作台's 待办问题: the problems the unit owns and has not resolved, then
// those waiting for it otherwise (a 延期 to decide, a 会商 to answer), each
// with what is asked; overdue first, then by the nearest deadline.
import {
  CoHandler_State,
  ProblemState,
  type Problem,
} from "@/gen/uplift/tasks/v1/tasks_pb";

export interface ProblemWork {
  problem: Problem;
  why: string; // "" for the unit's own problems
}

function due(p: Problem): number {
  return Number(p.deadline?.seconds ?? 0n);
}

export function problemWork(
  owned: Problem[],
  awaiting: Problem[],
  unitId: string,
): ProblemWork[] {
  const rows: ProblemWork[] = owned
    .filter((p) => p.state !== ProblemState.RESOLVED)
    .map((problem) => ({ problem, why: "" }));
  const seen = new Set(rows.map((r) => r.problem.problemId));
  for (const p of awaiting) {
    if (seen.has(p.problemId)) continue;
    const asks: string[] = [];
    if (p.pendingExtension?.approverUnitId === unitId) asks.push("待审批延期");
    const mine = p.coHandlers.find((c) => c.unitId === unitId);
    if (mine?.state === CoHandler_State.WAITING) asks.push("待反馈会商意见");
    if (!asks.length) continue;
    seen.add(p.problemId);
    rows.push({ problem: p, why: asks.join("、") });
  }
  return rows.sort(
    (a, b) =>
      Number(b.problem.overdue) - Number(a.problem.overdue) ||
      due(a.problem) - due(b.problem),
  );
}
