// 服务活动台账 in the console: the kinds by name, the activity a form
// describes (enterprises and clusters chosen, the day as typed), and the
// plan's targets counted from activities with what each has not reached.
import {
  ActivityKind,
  type CountedTarget,
  type GetTargetProgressResponse,
} from "@/gen/uplift/indicators/v1/indicators_pb";
import { percent } from "@/format";

export const KIND_NAMES: Record<number, string> = {
  [ActivityKind.SERVICE_EVENT]: "服务活动",
  [ActivityKind.TECH_DIAGNOSIS]: "科技巡诊",
  [ActivityKind.INTEGRATION_ASSESSMENT]: "两化融合评估",
  [ActivityKind.FINANCIAL_SERVICE]: "金融服务",
  [ActivityKind.RESEARCH_SERVICE]: "高校科研机构服务",
};

export const ACTIVITY_SOURCE = "服务活动台账";

export interface ActivityTarget {
  target: CountedTarget;
  achieved: string; // "2场次", "33.33%"
  coverage: boolean;
  uncovered: string[]; // names of those not yet covered (at most 20 listed)
  more: number; // not listed
}

// The targets counted from activities, in the plan's order.
export function activityTargets(
  progress: GetTargetProgressResponse | null,
): ActivityTarget[] {
  return (progress?.targets ?? [])
    .filter((t) => t.source === ACTIVITY_SOURCE)
    .map((t) => {
      const coverage = t.unit === "%";
      return {
        target: t,
        achieved: coverage ? percent(t.achieved) : `${t.achieved}${t.unit}`,
        coverage,
        uncovered: t.candidateNames.map((n, i) => n || t.candidateCodes[i]),
        more: Math.max(0, t.candidates - t.candidateCodes.length),
      };
    });
}

// The form's enterprises, each once, in the order chosen.
export function addServed(served: string[], code: string): string[] {
  const c = code.trim().toUpperCase();
  return !c || served.includes(c) ? served : [...served, c];
}
