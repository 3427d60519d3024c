// The 销号 actions the console offers follow uplift-tasks' rules.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  ClosureState,
  TaskSchema,
  TaskViewSchema,
} from "@/gen/uplift/tasks/v1/tasks_pb";
import { closureActions, evidenceLines } from "@/task-closure";

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
