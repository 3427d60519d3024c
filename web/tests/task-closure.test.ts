// The 销号 actions the console offers follow uplift-tasks' rules.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  ClosureState,
  ClosureStepSchema,
  TaskSchema,
  TaskViewSchema,
} from "@/gen/uplift/tasks/v1/tasks_pb";
import { closureActions, closureWork, evidenceLines } from "@/task-closure";

const view = (state: ClosureState) =>
  create(TaskViewSchema, {
    task: create(TaskSchema, { responsibleUnitIds: ["dept-fgj", "dept-kgx"] }),
    closureState: state,
  });

describe("closureActions", () => {
  it("lets the lead unit submit until it waits or is closed", () => {
    for (const state of [ClosureState.UNSPECIFIED, ClosureState.RETURNED]) {
      expect(
        closureActions(view(state), Role.DEPARTMENT, "dept-fgj", "dept-kgx"),
      ).toEqual({ submit: true, decide: false });
    }
    for (const state of [ClosureState.SUBMITTED, ClosureState.CONFIRMED]) {
      expect(
        closureActions(view(state), Role.DEPARTMENT, "dept-fgj", "dept-kgx")
          .submit,
      ).toBe(false);
    }
    expect(
      closureActions(
        view(ClosureState.UNSPECIFIED),
        Role.DEPARTMENT,
        "dept-kgx",
        "dept-kgx",
      ).submit,
    ).toBe(false);
    expect(
      closureActions(
        view(ClosureState.UNSPECIFIED),
        Role.VIEWER,
        "dept-fgj",
        "dept-kgx",
      ).submit,
    ).toBe(false);
  });
  it("lets only the plan owner decide a waiting submission", () => {
    expect(
      closureActions(
        view(ClosureState.SUBMITTED),
        Role.PLAN_OWNER,
        "dept-kgx",
        "dept-kgx",
      ).decide,
    ).toBe(true);
    expect(
      closureActions(
        view(ClosureState.SUBMITTED),
        Role.DEPARTMENT,
        "dept-kgx",
        "dept-kgx",
      ).decide,
    ).toBe(false);
    expect(
      closureActions(
        view(ClosureState.RETURNED),
        Role.PLAN_OWNER,
        "dept-kgx",
        "dept-kgx",
      ).decide,
    ).toBe(false);
  });
  it("reads the evidence one item a line", () => {
    expect(evidenceLines(" 台账.xlsx \n\n照片\n")).toEqual([
      "台账.xlsx",
      "照片",
    ]);
  });
});

describe("closureWork", () => {
  const task = (id: string, lead: string, state: ClosureState, reason = "") =>
    create(TaskViewSchema, {
      task: create(TaskSchema, { taskId: id, responsibleUnitIds: [lead] }),
      closureState: state,
      closureSteps: reason
        ? [create(ClosureStepSchema, { state, text: reason })]
        : [],
    });
  const views = [
    task("2.1.3", "dept-fgj", ClosureState.SUBMITTED),
    task("2.1.4", "dept-fgj", ClosureState.RETURNED, "缺少项目备案文件"),
    task("2.1.5", "dept-fgj", ClosureState.UNSPECIFIED),
    task("2.2.1", "dept-kgx", ClosureState.CONFIRMED),
  ];

  it("gives the plan owner the submissions to decide", () => {
    const work = closureWork(views, Role.PLAN_OWNER, "dept-kgx", "dept-kgx");
    expect(work.map((w) => [w.view.task?.taskId, w.why])).toEqual([
      ["2.1.3", "待确认销号"],
    ]);
  });

  it("gives the lead unit its returns with the reason, once each", () => {
    const work = closureWork(
      [...views, views[1]],
      Role.DEPARTMENT,
      "dept-fgj",
      "dept-kgx",
    );
    expect(work.map((w) => [w.view.task?.taskId, w.why])).toEqual([
      ["2.1.4", "销号被退回：缺少项目备案文件"],
    ]);
  });

  it("gives a unit that neither leads nor owns nothing", () => {
    expect(
      closureWork(views, Role.TOWNSHIP, "town-chengan", "dept-kgx"),
    ).toEqual([]);
    expect(closureWork(views, Role.VIEWER, "dept-kgx", "dept-kgx")).toEqual([]);
  });
});
