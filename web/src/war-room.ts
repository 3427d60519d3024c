// The ordering of 挂图作战: a leader sees the clusters he is liaison for
// first (their growth, their problems); open problems by rung, overdue
// first.
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import type { Cluster } from "@/gen/uplift/registry/v1/registry_pb";
import {
  ProblemState,
  Rung,
  type Problem,
} from "@/gen/uplift/tasks/v1/tasks_pb";

export const RUNGS = [
  Rung.TOWNSHIP,
  Rung.DEPARTMENT,
  Rung.CITY_LEADER,
  Rung.PROVINCE_PREFECTURE,
];

// The clusters a leader is liaison for; none for other roles.
export function leaderClusters(
  clusters: Cluster[],
  role: Role,
  unitId: string,
): string[] {
  if (role !== Role.LEADER) return [];
  return clusters
    .filter((c) => c.liaisonLeaderUnitId === unitId)
    .map((c) => c.clusterId);
}

// `items` with those of `mine` clusters first, otherwise in their order.
export function mineFirst<T>(
  items: T[],
  clusterOf: (item: T) => string,
  mine: string[],
): T[] {
  const first = (x: T) => (mine.includes(clusterOf(x)) ? 0 : 1);
  return [...items].sort((a, b) => first(a) - first(b));
}

export interface RungProblems {
  rung: Rung;
  list: Problem[];
  overdue: number;
}

// Unresolved problems at each rung: overdue first, then the leader's clusters.
export function openProblemsByRung(
  problems: Problem[],
  mine: string[],
): RungProblems[] {
  return RUNGS.map((rung) => {
    const open = problems.filter(
      (p) => p.rung === rung && p.state !== ProblemState.RESOLVED,
    );
    const list = mineFirst(open, (p) => p.clusterId, mine).sort(
      (a, b) => Number(b.overdue) - Number(a.overdue),
    );
    return { rung, list, overdue: list.filter((p) => p.overdue).length };
  });
}
