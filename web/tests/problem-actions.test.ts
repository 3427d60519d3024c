// The actions the console offers on a problem follow the ladder's rules.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import {
  CoHandler_State,
  CoHandlerSchema,
  ExtensionRequestSchema,
  PlanSchema,
  ProblemSchema,
  ProblemState,
  Rung,
} from "@/gen/uplift/tasks/v1/tasks_pb";
import { UnitKind, UnitSchema } from "@/gen/uplift/registry/v1/registry_pb";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  allowedActions,
  coHandlerChoices,
  disputedRungs,
  skipTargets,
} from "@/problem-actions";

const problem = (rung: Rung, state: ProblemState) =>
  create(ProblemSchema, {
    rung,
    state,
    ownerUnitId: rung === Rung.TOWNSHIP ? "town-a" : "dept-zrj",
    townshipId: "town-a",
  });

describe("allowedActions", () => {
  it("offers the township rung's owner accept, resolve and escalate, never return", () => {
    expect(
      allowedActions(
        problem(Rung.TOWNSHIP, ProblemState.OPEN),
        Role.TOWNSHIP,
        "town-a",
      ),
    ).toEqual(["accept", "resolve", "escalate", "extend"]);
    expect(
      allowedActions(
        problem(Rung.TOWNSHIP, ProblemState.ACCEPTED),
        Role.TOWNSHIP,
        "town-a",
      ),
    ).toEqual(["resolve", "escalate", "extend"]);
  });
  it("offers a department return and escalate", () => {
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.OPEN),
        Role.DEPARTMENT,
        "dept-zrj",
      ),
    ).toEqual(["accept", "resolve", "return", "escalate", "extend"]);
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.OPEN),
        Role.PLAN_OWNER,
        "dept-zrj",
      ),
    ).toContain("escalate");
  });
  it("offers nothing at the top rung but to resolve or return", () => {
    const p = create(ProblemSchema, {
      rung: Rung.PROVINCE_PREFECTURE,
      state: ProblemState.ACCEPTED,
      ownerUnitId: "prov",
    });
    expect(allowedActions(p, Role.PROVINCE, "prov")).toEqual([
      "resolve",
      "return",
      "extend",
    ]);
  });
  it("offers nothing to another unit or a role that does not fit the rung", () => {
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.OPEN),
        Role.DEPARTMENT,
        "dept-other",
      ),
    ).toEqual([]);
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.OPEN),
        Role.LEADER,
        "dept-zrj",
      ),
    ).toEqual([]);
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.OPEN),
        Role.ADMIN,
        "",
      ),
    ).toEqual([]);
    expect(
      allowedActions(
        problem(Rung.TOWNSHIP, ProblemState.OPEN),
        Role.VIEWER,
        "town-a",
      ),
    ).toEqual([]);
  });
  it("offers the enterprise's township, the plan owner and ADMIN 回访 and reopening once resolved", () => {
    const resolved = problem(Rung.DEPARTMENT, ProblemState.RESOLVED);
    expect(allowedActions(resolved, Role.PLAN_OWNER, "dept-kgx")).toEqual([
      "satisfaction",
      "reopen",
    ]);
    expect(allowedActions(resolved, Role.ADMIN, "")).toEqual([
      "satisfaction",
      "reopen",
    ]);
    expect(allowedActions(resolved, Role.TOWNSHIP, "town-b")).toEqual([]);
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.RESOLVED),
        Role.TOWNSHIP,
        "town-a",
      ),
    ).toEqual(["satisfaction", "reopen"]);
    expect(
      allowedActions(
        problem(Rung.DEPARTMENT, ProblemState.RESOLVED),
        Role.DEPARTMENT,
        "dept-zrj",
      ),
    ).toEqual([]);
  });
  it("offers 延期 once: the waiting request is decided by its approver only", () => {
    const p = problem(Rung.TOWNSHIP, ProblemState.ACCEPTED);
    p.pendingExtension = create(ExtensionRequestSchema, {
      approverUnitId: "dept-kgx",
    });
    expect(allowedActions(p, Role.TOWNSHIP, "town-a")).toEqual([
      "resolve",
      "escalate",
    ]);
    expect(allowedActions(p, Role.PLAN_OWNER, "dept-kgx")).toEqual([
      "decide-extension",
    ]);
    expect(allowedActions(p, Role.DEPARTMENT, "dept-zrj")).toEqual([]);
  });
  it("offers the plan owner 提级 and, on a problem returned twice, 裁定 alone", () => {
    const p = problem(Rung.TOWNSHIP, ProblemState.OPEN);
    expect(allowedActions(p, Role.PLAN_OWNER, "dept-kgx", "dept-kgx")).toEqual([
      "skip",
    ]);
    expect(skipTargets(p)).toEqual([
      Rung.CITY_LEADER,
      Rung.PROVINCE_PREFECTURE,
    ]);
    expect(
      allowedActions(p, Role.PLAN_OWNER, "dept-kgx", "dept-other"),
    ).toEqual([]);
    const disputed = create(ProblemSchema, {
      rung: Rung.DEPARTMENT,
      state: ProblemState.AWAITING_RULING,
      ownerUnitId: "dept-kgx",
      returnsBetween: { "1-2": 2 },
    });
    expect(
      allowedActions(disputed, Role.PLAN_OWNER, "dept-kgx", "dept-kgx"),
    ).toEqual(["rule"]);
    expect(allowedActions(disputed, Role.DEPARTMENT, "dept-kgx")).toEqual([]);
    expect(disputedRungs(disputed)).toEqual([Rung.TOWNSHIP, Rung.DEPARTMENT]);
  });
  it("offers 会商 to the plan owner at the department rung, and the answer to each co-handler until it ends", () => {
    const p = problem(Rung.DEPARTMENT, ProblemState.ACCEPTED);
    expect(allowedActions(p, Role.PLAN_OWNER, "dept-kgx", "dept-kgx")).toEqual([
      "skip",
      "co-handle",
    ]);
    expect(
      allowedActions(
        problem(Rung.TOWNSHIP, ProblemState.OPEN),
        Role.PLAN_OWNER,
        "dept-kgx",
        "dept-kgx",
      ),
    ).toEqual(["skip"]);
    p.coHandlers = [
      create(CoHandlerSchema, {
        unitId: "dept-fgj",
        state: CoHandler_State.WAITING,
      }),
      create(CoHandlerSchema, {
        unitId: "dept-jrj",
        state: CoHandler_State.ENDED,
      }),
    ];
    expect(allowedActions(p, Role.DEPARTMENT, "dept-fgj")).toEqual([
      "answer-co-handling",
    ]);
    expect(allowedActions(p, Role.DEPARTMENT, "dept-jrj")).toEqual([]);
    expect(allowedActions(p, Role.TOWNSHIP, "dept-fgj")).toEqual([]);
    expect(allowedActions(p, Role.DEPARTMENT, "dept-zrj")).not.toContain(
      "answer-co-handling",
    );
    p.state = ProblemState.RESOLVED;
    expect(allowedActions(p, Role.DEPARTMENT, "dept-fgj")).toEqual([]);
  });
});

describe("coHandlerChoices", () => {
  it("lists the plan's departments but the owner and those still to answer", () => {
    const p = problem(Rung.DEPARTMENT, ProblemState.OPEN);
    p.coHandlers = [
      create(CoHandlerSchema, {
        unitId: "dept-fgj",
        state: CoHandler_State.WAITING,
      }),
      create(CoHandlerSchema, {
        unitId: "dept-jrj",
        state: CoHandler_State.ANSWERED,
      }),
    ];
    const unit = (unitId: string, name: string, kind: UnitKind) =>
      create(UnitSchema, { unitId, name, kind });
    const plan = create(PlanSchema, {
      units: [
        unit("dept-zrj", "市自然资源和规划局", UnitKind.DEPARTMENT),
        unit("dept-fgj", "市发展改革局", UnitKind.DEPARTMENT),
        unit("dept-jrj", "市地方金融监管局", UnitKind.DEPARTMENT),
        unit("town-a", "承安镇", UnitKind.TOWNSHIP),
      ],
    });
    expect(coHandlerChoices(p, plan)).toEqual([
      { unitId: "dept-jrj", name: "市地方金融监管局" },
    ]);
    expect(coHandlerChoices(p, null)).toEqual([]);
  });
});
