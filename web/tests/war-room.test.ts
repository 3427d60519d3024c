// 挂图作战's ordering: a leader's clusters first, overdue problems first.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import { ClusterSchema } from "@/gen/uplift/registry/v1/registry_pb";
import {
  ProblemSchema,
  ProblemState,
  Rung,
} from "@/gen/uplift/tasks/v1/tasks_pb";
import { leaderClusters, mineFirst, openProblemsByRung } from "@/war-room";

const clusters = [
  create(ClusterSchema, {
    clusterId: "equipment",
    liaisonLeaderUnitId: "leader-equipment",
  }),
  create(ClusterSchema, {
    clusterId: "food",
    liaisonLeaderUnitId: "leader-food",
  }),
];
const problem = (
  id: string,
  clusterId: string,
  rung: Rung,
  overdue = false,
  state = ProblemState.OPEN,
) => create(ProblemSchema, { problemId: id, clusterId, rung, overdue, state });

describe("挂图作战 ordering", () => {
  it("knows a leader's clusters and nobody else's", () => {
    expect(leaderClusters(clusters, Role.LEADER, "leader-food")).toEqual([
      "food",
    ]);
    expect(leaderClusters(clusters, Role.PLAN_OWNER, "leader-food")).toEqual(
      [],
    );
  });
  it("puts a leader's cluster first and keeps the rest in order", () => {
    expect(
      mineFirst(["biomed", "equipment", "food"], (c) => c, ["food"]),
    ).toEqual(["food", "biomed", "equipment"]);
    expect(mineFirst(["biomed", "food"], (c) => c, [])).toEqual([
      "biomed",
      "food",
    ]);
  });
  it("lists open problems by rung, overdue first, then the leader's clusters", () => {
    const rungs = openProblemsByRung(
      [
        problem("a", "equipment", Rung.CITY_LEADER),
        problem("b", "food", Rung.CITY_LEADER),
        problem("c", "equipment", Rung.CITY_LEADER, true),
        problem("d", "food", Rung.CITY_LEADER, false, ProblemState.RESOLVED),
        problem("e", "food", Rung.TOWNSHIP, true),
      ],
      ["food"],
    );
    expect(rungs.map((r) => r.list.length)).toEqual([1, 0, 3, 0]);
    expect(rungs[2].list.map((p) => p.problemId)).toEqual(["c", "b", "a"]);
    expect(rungs[2].overdue).toBe(1);
  });
});
