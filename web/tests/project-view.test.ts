// A project's page: milestone states as of a day, the investment chart's
// series, and who may report a project's months.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  MilestoneKind,
  ProjectPhase,
  ProjectProgressSchema,
  ProjectSchema,
} from "@/gen/uplift/tasks/v1/projects_pb";
import {
  investmentChartOption,
  milestoneRows,
  mayReport,
  nextPhases,
  wanToFen,
} from "@/project-view";

const project = create(ProjectSchema, {
  projectId: "pj-0000000000a1",
  townshipId: "town-chengan",
  departmentUnitId: "dept-fgj",
  year: 2023,
  plannedInvestmentFen: 1_200_000_000n, // 1200 万元
  milestones: [
    {
      kind: MilestoneKind.SIGNED,
      plannedOn: "2023-02-15",
      actualOn: "2023-02-10",
    },
    {
      kind: MilestoneKind.STARTED,
      plannedOn: "2023-04-15",
      actualOn: "2023-04-25",
    },
    { kind: MilestoneKind.IN_PRODUCTION, plannedOn: "2023-09-15" },
    { kind: MilestoneKind.IN_STATISTICS, plannedOn: "2023-12-15" },
  ],
});

describe("milestoneRows", () => {
  it("lists every kind in order with its state as of the day", () => {
    const rows = milestoneRows(project, "2023-09-30");
    expect(rows.map((r) => r.name)).toEqual([
      "签约",
      "落地",
      "开工",
      "投产",
      "入统",
    ]);
    expect(rows.map((r) => r.state)).toEqual([
      "reached",
      "unplanned",
      "reached",
      "late",
      "planned",
    ]);
    expect(rows[0].lateDays).toBe(0); // early is not late
    expect(rows[2].lateDays).toBe(10); // reached ten days after the plan
    expect(rows[3].lateDays).toBe(15); // overdue by the day
  });

  it("is not late on its planned day", () => {
    expect(milestoneRows(project, "2023-09-15")[3].state).toBe("planned");
  });
});

describe("investmentChartOption", () => {
  it("has the months reported, their running total and the planned pace", () => {
    const months = [
      create(ProjectProgressSchema, {
        period: "2023-02",
        investmentFen: 100_000_000n,
      }),
      create(ProjectProgressSchema, {
        period: "2023-04",
        investmentFen: 250_000_000n,
      }),
      create(ProjectProgressSchema, {
        period: "2022-12",
        investmentFen: 999_000_000n,
      }),
    ];
    const option = investmentChartOption(
      2023,
      months,
      project.plannedInvestmentFen,
    ) as {
      series: { name: string; data: (number | null)[] }[];
    };
    const [monthly, running, pace] = option.series;
    expect(monthly.name).toBe("当月完成");
    expect(monthly.data.slice(0, 5)).toEqual([null, 100, null, 250, null]);
    expect(running.data.slice(0, 5)).toEqual([0, 100, 100, 350, null]);
    expect(pace.data[2]).toBe(300);
    expect(pace.data[11]).toBe(1200);
  });
});

describe("mayReport", () => {
  it("lets the project's own township and department, the plan owner and ADMIN report", () => {
    expect(mayReport(project, Role.TOWNSHIP, "town-chengan")).toBe(true);
    expect(mayReport(project, Role.DEPARTMENT, "dept-fgj")).toBe(true);
    expect(mayReport(project, Role.PLAN_OWNER, "dept-kgx")).toBe(true);
    expect(mayReport(project, Role.ADMIN, "")).toBe(true);
    expect(mayReport(project, Role.TOWNSHIP, "town-huapi")).toBe(false);
    expect(mayReport(project, Role.DEPARTMENT, "dept-kgx")).toBe(false);
    expect(mayReport(project, Role.LEADER, "town-chengan")).toBe(false);
    expect(mayReport(project, Role.VIEWER, "")).toBe(false);
  });
});

describe("wanToFen", () => {
  it("reads 万元 with at most two decimals, exactly", () => {
    expect(wanToFen("1250.5")).toBe(1_250_500_000n);
    expect(wanToFen(" 0.01 ")).toBe(10_000n);
    expect(wanToFen("12000")).toBe(12_000_000_000n);
    expect(wanToFen("")).toBe(0n);
    for (const bad of ["-1", "1.234", "一千", "1e5", "1,000"])
      expect(wanToFen(bad)).toBeNull();
  });
});

describe("nextPhases", () => {
  const at = (phase: ProjectPhase, phaseBeforeSuspension = 0) =>
    create(ProjectSchema, { phase, phaseBeforeSuspension });
  it("goes forward, may skip, and may stop before 达产", () => {
    expect(nextPhases(at(ProjectPhase.CONSTRUCTION))).toEqual([
      ProjectPhase.PRODUCTION,
      ProjectPhase.FULL_PRODUCTION,
      ProjectPhase.SUSPENDED,
    ]);
    expect(nextPhases(at(ProjectPhase.FULL_PRODUCTION))).toEqual([]);
  });
  it("resumes at the phase it left or a later one", () => {
    expect(
      nextPhases(at(ProjectPhase.SUSPENDED, ProjectPhase.PRODUCTION)),
    ).toEqual([ProjectPhase.PRODUCTION, ProjectPhase.FULL_PRODUCTION]);
  });
});
