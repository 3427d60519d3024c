// 工作台's 待办问题: own unresolved problems and those waiting for the unit.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  CoHandler_State,
  CoHandlerSchema,
  ExtensionRequestSchema,
  ProblemSchema,
  ProblemState,
} from "@/gen/uplift/tasks/v1/tasks_pb";
import { problemWork } from "@/problem-work";

const problem = (problemId: string, dueMs: number, state = ProblemState.OPEN) =>
  create(ProblemSchema, {
    problemId,
    state,
    deadline: timestampFromMs(dueMs),
  });

describe("problemWork", () => {
  it("lists own unresolved problems, then what waits for the unit, nearest deadline first", () => {
    const own = problem("pb-own", 3000);
    const resolved = problem("pb-done", 1000, ProblemState.RESOLVED);
    const extension = problem("pb-ext", 2000);
    extension.pendingExtension = create(ExtensionRequestSchema, {
      approverUnitId: "dept-fgj",
    });
    const coHandled = problem("pb-co", 1500);
    coHandled.coHandlers = [
      create(CoHandlerSchema, {
        unitId: "dept-fgj",
        state: CoHandler_State.WAITING,
      }),
    ];
    const answered = problem("pb-answered", 500);
    answered.coHandlers = [
      create(CoHandlerSchema, {
        unitId: "dept-fgj",
        state: CoHandler_State.ANSWERED,
      }),
    ];
    const rows = problemWork(
      [own, resolved],
      [extension, coHandled, answered, own],
      "dept-fgj",
    );
    expect(rows.map((r) => [r.problem.problemId, r.why])).toEqual([
      ["pb-co", "待反馈会商意见"],
      ["pb-ext", "待审批延期"],
      ["pb-own", ""],
    ]);
  });
  it("puts overdue problems first", () => {
    const late = problem("pb-late", 9000);
    late.overdue = true;
    const rows = problemWork([problem("pb-soon", 1000), late], [], "dept-fgj");
    expect(rows.map((r) => r.problem.problemId)).toEqual([
      "pb-late",
      "pb-soon",
    ]);
  });
});
