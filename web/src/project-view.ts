// A project as its page shows it: the milestones in order with their state
// (reached, late, due), the investment chart (each month's completed
// investment, the year's running total and the planned pace), and whether
// the signed-in person may report its months.
import type { EChartsCoreOption } from "echarts/core";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import {
  MilestoneKind,
  ProjectPhase,
  type Project,
  type ProjectProgress,
} from "@/gen/uplift/tasks/v1/projects_pb";
import { MILESTONE_NAMES } from "@/labels";

export type MilestoneState = "reached" | "late" | "planned" | "unplanned";

export interface MilestoneRow {
  kind: MilestoneKind;
  name: string;
  plannedOn: string;
  actualOn: string;
  state: MilestoneState;
  lateDays: number; // reached late, or overdue as of today
}

const ORDER = [
  MilestoneKind.SIGNED,
  MilestoneKind.LANDED,
  MilestoneKind.STARTED,
  MilestoneKind.IN_PRODUCTION,
  MilestoneKind.IN_STATISTICS,
];

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

// Every milestone kind in the ledger's order, those the project does not
// plan included (shown as 未计划), as of `today` ("2023-09-30").
export function milestoneRows(p: Project, today: string): MilestoneRow[] {
  return ORDER.map((kind) => {
    const m = p.milestones.find((x) => x.kind === kind);
    const plannedOn = m?.plannedOn ?? "";
    const actualOn = m?.actualOn ?? "";
    let state: MilestoneState = "unplanned";
    let lateDays = 0;
    if (actualOn) {
      state = "reached";
      if (plannedOn) lateDays = Math.max(0, daysBetween(plannedOn, actualOn));
    } else if (plannedOn && plannedOn < today) {
      state = "late";
      lateDays = daysBetween(plannedOn, today);
    } else if (plannedOn) {
      state = "planned";
    }
    return {
      kind,
      name: MILESTONE_NAMES[kind],
      plannedOn,
      actualOn,
      state,
      lateDays,
    };
  });
}

const WAN = 1_000_000; // fen in one 万元

// The year's twelve months: completed investment each month (bars), the
// running total (line) and the planned pace, linear over the year (dashed),
// all in 万元.
export function investmentChartOption(
  year: number,
  months: ProjectProgress[],
  plannedFen: bigint,
): EChartsCoreOption {
  const labels = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  const monthly: (number | null)[] = Array(12).fill(null);
  for (const m of months) {
    if (Number(m.period.slice(0, 4)) !== year) continue;
    monthly[Number(m.period.slice(5, 7)) - 1] = Number(m.investmentFen) / WAN;
  }
  const last = monthly.reduce<number>((at, v, i) => (v === null ? at : i), -1);
  let sum = 0;
  const running = monthly.map((v, i) => {
    sum += v ?? 0;
    return i <= last ? Math.round(sum * 100) / 100 : null;
  });
  const planned = Number(plannedFen) / WAN;
  const pace = labels.map((_, i) => Math.round((planned * (i + 1)) / 12));
  return {
    animation: false,
    tooltip: {
      trigger: "axis",
      valueFormatter: (v: unknown) =>
        typeof v === "number" ? `${v.toLocaleString("zh-CN")}万元` : "—",
    },
    legend: { bottom: 0 },
    grid: { left: 64, right: 16, top: 24, bottom: 48 },
    xAxis: { type: "category", data: labels },
    yAxis: { type: "value", name: "万元" },
    series: [
      { name: "当月完成", type: "bar", data: monthly },
      { name: "年度累计", type: "line", data: running },
      {
        name: "计划进度",
        type: "line",
        data: pace,
        symbol: "none",
        lineStyle: { type: "dashed" },
      },
    ],
  };
}

// The access rule of ReportProjectProgress (docs/projects.md): the
// project's township and responsible department (a unit of either role
// that is one of the two) report its months; the plan owner and ADMIN any.
export function mayReport(p: Project, role: Role, unitId: string): boolean {
  if (role === Role.ADMIN || role === Role.PLAN_OWNER) return true;
  if (!unitId || (role !== Role.TOWNSHIP && role !== Role.DEPARTMENT))
    return false;
  return p.townshipId === unitId || p.departmentUnitId === unitId;
}

// 万元 as people type them, at most two decimals ("1250.5") in fen; 0n for
// nothing typed, null for anything that is not an amount.
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
export function wanToFen(wan: string): bigint | null {
  const t = wan.trim();
  if (!t) return 0n;
  if (!AMOUNT.test(t)) return null;
  const [whole, part = ""] = t.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(part.padEnd(2, "0")) * 10_000n;
}

const WORKING = [
  ProjectPhase.PLANNING,
  ProjectPhase.SIGNED,
  ProjectPhase.PREPARATION,
  ProjectPhase.CONSTRUCTION,
  ProjectPhase.PRODUCTION,
  ProjectPhase.FULL_PRODUCTION,
];

// The phases a project may move to (ProjectPhases::Advance): forward only,
// skipping allowed; 停缓建 from any phase before 达产; from 停缓建 back to the
// phase it left or a later one.
export function nextPhases(p: Project): ProjectPhase[] {
  if (p.phase === ProjectPhase.SUSPENDED)
    return WORKING.filter((x) => x >= p.phaseBeforeSuspension);
  const ahead = WORKING.filter((x) => x > p.phase);
  return p.phase === ProjectPhase.FULL_PRODUCTION
    ? ahead
    : [...ahead, ProjectPhase.SUSPENDED];
}
