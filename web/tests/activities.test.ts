// 服务活动台账 helpers: targets counted from activities and the form's list.
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import {
  CountedTargetSchema,
  GetTargetProgressResponseSchema,
} from "@/gen/uplift/indicators/v1/indicators_pb";
import { activityTargets, addServed } from "@/activities";

describe("activityTargets", () => {
  it("keeps the targets counted from activities, coverage with who is not covered", () => {
    const progress = create(GetTargetProgressResponseSchema, {
      targets: [
        create(CountedTargetSchema, {
          targetId: "service-events",
          source: "服务活动台账",
          unit: "场次",
          achieved: 2n,
        }),
        create(CountedTargetSchema, {
          targetId: "new-specialized-sme",
          source: "企业库称号认定",
          unit: "家",
        }),
        create(CountedTargetSchema, {
          targetId: "tech-diagnosis-coverage",
          source: "服务活动台账",
          unit: "%",
          achieved: 3333n,
          candidates: 25,
          candidateCodes: ["91130184MA00000011", "91130184MA00000012"],
          candidateNames: ["企业1", ""],
        }),
      ],
    });
    const rows = activityTargets(progress);
    expect(
      rows.map((r) => [r.target.targetId, r.achieved, r.coverage]),
    ).toEqual([
      ["service-events", "2场次", false],
      ["tech-diagnosis-coverage", "33.33%", true],
    ]);
    expect(rows[1].uncovered).toEqual(["企业1", "91130184MA00000012"]);
    expect(rows[1].more).toBe(23);
    expect(activityTargets(null)).toEqual([]);
  });
});

describe("addServed", () => {
  it("adds each enterprise once, normalised", () => {
    expect(addServed(["A1"], " a1 ")).toEqual(["A1"]);
    expect(addServed(["A1"], "b2")).toEqual(["A1", "B2"]);
    expect(addServed([], "  ")).toEqual([]);
  });
});
